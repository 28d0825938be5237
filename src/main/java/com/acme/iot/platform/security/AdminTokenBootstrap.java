package com.acme.iot.platform.security;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Makes sure the service can be administered from its first start: see
 * {@link ApiTokenManagement#bootstrapAdmin}.
 */
@Component
class AdminTokenBootstrap implements ApplicationRunner {

	static final String ADMIN_TOKEN_VARIABLE = "IOT_ADMIN_TOKEN";

	private final ApiTokenManagement tokens;

	private final SecuritySettings settings;

	private final Environment environment;

	AdminTokenBootstrap(ApiTokenManagement tokens, SecuritySettings settings, Environment environment) {
		this.tokens = tokens;
		this.settings = settings;
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.tokens.bootstrapAdmin(this.environment.getProperty(ADMIN_TOKEN_VARIABLE), this.settings.adminTokenFile());
	}

}
