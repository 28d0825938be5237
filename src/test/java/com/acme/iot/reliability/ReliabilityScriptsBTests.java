package com.acme.iot.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blob-store, full-disk and soak scripts of src/test/reliability answer {@code --help} and are
 * shellcheck-clean; running them takes minutes and root (tmpfs), so the build only keeps them runnable.
 */
class ReliabilityScriptsBTests {

	private static final Path DIRECTORY = Path.of("src/test/reliability");

	private static final List<String> SCRIPTS = List.of("blob-outage.sh", "full-disk.sh", "soak.sh", "lib-b.sh");

	@ParameterizedTest
	@ValueSource(strings = { "blob-outage.sh", "full-disk.sh", "soak.sh" })
	void scriptAnswersHelp(String script) throws Exception {
		Result result = run(List.of("bash", DIRECTORY.resolve(script).toString(), "--help"));

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).startsWith("Usage: src/test/reliability/" + script);
	}

	@Test
	void scriptsAreShellcheckClean() throws Exception {
		Path shellcheck = ExternalTools.require("shellcheck");
		List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "-x", "--severity=style"));
		SCRIPTS.forEach(script -> command.add(DIRECTORY.resolve(script).toString()));

		Result result = run(command);

		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	private static Result run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
		return new Result(process.exitValue(), output);
	}

	private record Result(int exitCode, String output) {
	}

}
