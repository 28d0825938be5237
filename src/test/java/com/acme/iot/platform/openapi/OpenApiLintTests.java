package com.acme.iot.platform.openapi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lints the committed contract with the tools a mobile team would use, and fails on any finding, warnings
 * included: Spectral ({@code spectral:oas} plus the project's rules in src/test/openapi/spectral.yaml) and
 * Redocly ({@code recommended}, strict). OpenApiContractIntegrationTests proves the snapshot is what the service
 * serves.
 */
class OpenApiLintTests {

	private static final String CONTRACT = OpenApiContractIntegrationTests.SNAPSHOT.toString();

	@Test
	void contractPassesSpectralWithoutAnyFinding() throws Exception {
		Path spectral = ExternalTools.require("spectral");

		Result result = run(List.of(spectral.toString(), "lint", CONTRACT, "--ruleset", "src/test/openapi/spectral.yaml",
				"--fail-severity", "hint", "--format", "text"));

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).as(result.output()).doesNotContain("warning", "error", "information", "hint:");
	}

	@Test
	void contractPassesRedoclyRecommendedWithoutAnyFinding() throws Exception {
		Path redocly = ExternalTools.require("redocly");

		Result result = run(List.of(redocly.toString(), "lint", CONTRACT, "--config", "src/test/openapi/redocly.yaml",
				"--format", "stylish"));

		// Redocly may print a banner about the Node.js version before it starts; the findings come after this line.
		String findings = result.output().substring(Math.max(0, result.output().indexOf("validating ")));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(findings).as(result.output()).contains("Woohoo! Your API description is valid.");
		assertThat(findings).as(result.output()).doesNotContainIgnoringCase("warning");
	}

	private static Result run(List<String> command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		// Neither tool may phone home from the build.
		builder.environment().put("REDOCLY_TELEMETRY", "off");
		builder.environment().put("SCARF_ANALYTICS", "false");
		builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(180, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(command + " did not finish in 180 s");
		}
		return new Result(process.exitValue(), output);
	}

	private record Result(int exitCode, String output) {
	}

}
