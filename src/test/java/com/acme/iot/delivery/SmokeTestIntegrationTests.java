package com.acme.iot.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;
import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/smoke-test.sh against the real service, started in-process on a random port. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SmokeTestIntegrationTests {

	@LocalServerPort
	int port;

	ApiClient admin;

	@BeforeEach
	void setUp() {
		ExternalTools.require("curl");
		ExternalTools.require("jq");
		this.admin = new ApiClient(this.port, "test-admin-token");
	}

	@Test
	void passesAgainstTheRunningServiceAndLeavesNoActiveScratchSensor() throws Exception {
		String version = this.admin.get("/api/release").json().get("version").stringValue();

		Result result = smokeTest("--token", "test-admin-token", "--expect-version", version, "--deadline", "60");

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("smoke test passed", "runs " + version);
		JsonNode scratch = this.admin.get("/api/sensors?site=smoke-test&size=100").json().get("items");
		assertThat(scratch.valueStream()).isNotEmpty()
			.allSatisfy(sensor -> assertThat(sensor.get("status").stringValue()).isEqualTo("DECOMMISSIONED"));
	}

	@Test
	void failsAtItsDeadlineWhenTheServiceRunsAnotherVersion() throws Exception {
		long started = System.nanoTime();

		Result result = smokeTest("--token", "test-admin-token", "--expect-version", "99.0.0", "--deadline", "3");

		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.output()).contains("smoke test failed", "expected 99.0.0");
		assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
	}

	@Test
	void failsTheWriteCheckWithAReaderToken() throws Exception {
		String reader = this.admin.post("/api/tokens", "{\"name\":\"smoke-reader\",\"role\":\"READER\"}")
			.json()
			.get("token")
			.stringValue();

		Result result = smokeTest("--token", reader, "--deadline", "3");

		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.output()).contains("ok   GET /api/sensors (authenticated read)", "create answered HTTP 403");
	}

	private Result smokeTest(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of("deploy/smoke-test.sh").toAbsolutePath().toString(),
				"--url", "http://127.0.0.1:" + this.port));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().remove("IOT_CURL_OPTS");
		Process process = builder.start();
		process.getOutputStream().close();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("smoke-test.sh did not finish in 120 s");
		}
		return new Result(process.exitValue(),
				new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	private record Result(int exitCode, String output) {
	}

}
