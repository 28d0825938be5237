package com.acme.iot.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault-test scripts of src/test/reliability stay runnable: they answer --help and are shellcheck-clean. */
class ReliabilityScriptsTests {

	static final Path DIRECTORY = Path.of("src/test/reliability");

	@Test
	void everyScriptAnswersHelp() throws Exception {
		for (String script : scripts()) {
			Result result = run(List.of("bash", script, "--help"));

			assertThat(result.exitCode()).as(script + "\n" + result.output()).isZero();
			assertThat(result.output()).as(script).startsWith("Usage: " + script);
		}
	}

	@Test
	void scriptsAreShellcheckClean() throws Exception {
		Path shellcheck = ExternalTools.require("shellcheck");
		List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "-x", "--severity=style"));
		command.addAll(scripts());
		command.addAll(libraries());

		Result result = run(command);

		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void theFaultScriptsExist() throws Exception {
		assertThat(scripts()).contains("src/test/reliability/crash-under-ingestion.sh",
				"src/test/reliability/database-outage.sh", "src/test/reliability/two-replicas.sh");
	}

	/** The runnable scripts; the lib*.sh libraries are sourced by them, not run. */
	static List<String> scripts() throws IOException {
		try (Stream<Path> files = Files.list(DIRECTORY)) {
			return files.map(Path::toString)
				.filter(name -> name.endsWith(".sh") && !isLibrary(name))
				.sorted()
				.toList();
		}
	}

	static List<String> libraries() throws IOException {
		try (Stream<Path> files = Files.list(DIRECTORY)) {
			return files.map(Path::toString).filter(ReliabilityScriptsTests::isLibrary).sorted().toList();
		}
	}

	private static boolean isLibrary(String name) {
		return name.substring(name.lastIndexOf('/') + 1).startsWith("lib") && name.endsWith(".sh");
	}

	static Result run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	record Result(int exitCode, String output) {
	}

}
