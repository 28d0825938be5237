package com.acme.iot;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTests {

	static final ApplicationModules modules = ApplicationModules.of(IotApiApplication.class);

	@Test
	void verifiesModularStructure() {
		modules.verify();
	}

	@Test
	void detectsTheFiveBusinessModulesAndTheSharedPlatform() {
		assertThat(modules.stream().map(module -> module.getIdentifier().toString()))
			.contains("sensors", "readings", "alerts", "backup", "releaseinfo", "platform");
	}

	@Test
	void writesDocumentation() {
		new Documenter(modules).writeDocumentation();
	}

}
