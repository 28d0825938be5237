package com.acme.iot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.util.ApplicationModulesExporter;

/**
 * Writes Spring Modulith's module metadata into the build output (the build runs it after compiling the tests,
 * {@code pom.xml}), so that the service reads its modules from the jar instead of analysing its own classes with
 * ArchUnit on every start. Same content as {@code Documenter.writeModuleMetadata()}, but also written when the
 * build skips the tests.
 */
final class ApplicationModulesMetadata {

	private ApplicationModulesMetadata() {
	}

	/**
	 * @param args the class output directory ({@code target/classes})
	 */
	public static void main(String[] args) throws IOException {
		Path file = Path.of(args[0]).resolve(ApplicationModulesExporter.DEFAULT_LOCATION);
		Files.createDirectories(file.getParent());
		String json = new ApplicationModulesExporter(ApplicationModules.of(IotApiApplication.class)).toFullJson();
		Files.writeString(file, json);
	}

}
