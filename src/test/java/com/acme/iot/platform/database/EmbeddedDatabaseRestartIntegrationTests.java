package com.acme.iot.platform.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import com.acme.iot.ApiClient;
import com.acme.iot.IotApiApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default set-up a new user runs: embedded PostgreSQL in a data folder, no admin token configured.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseRestartIntegrationTests {

	@TempDir
	Path data;

	@Test
	void keepsSensorsAndTheGeneratedAdminTokenAcrossARestart(CapturedOutput output) throws Exception {
		Path tokenFile = this.data.resolve("admin-token");
		String sensorId;
		String adminToken;
		try (ConfigurableApplicationContext first = start(tokenFile)) {
			assertThat(tokenFile).exists();
			assertThat(Files.getPosixFilePermissions(tokenFile)).containsExactlyInAnyOrder(
					PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
			adminToken = Files.readString(tokenFile).strip();
			ApiClient admin = new ApiClient(port(first), adminToken);
			var created = admin.post("/api/sensors",
					"{\"name\":\"Survivor\",\"kind\":\"PRESSURE\",\"site\":\"restart\"}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			sensorId = created.json().get("id").stringValue();
		}
		assertThat(output.getAll()).contains(tokenFile.toAbsolutePath().toString()).doesNotContain(adminToken);

		try (ConfigurableApplicationContext second = start(tokenFile)) {
			assertThat(Files.readString(tokenFile).strip()).as("not regenerated").isEqualTo(adminToken);
			ApiClient admin = new ApiClient(port(second), adminToken);
			var read = admin.get("/api/sensors/" + sensorId);
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			JsonNode sensor = read.json();
			assertThat(sensor.get("name").stringValue()).isEqualTo("Survivor");
		}
	}

	private ConfigurableApplicationContext start(Path tokenFile) {
		return SpringApplication.run(IotApiApplication.class, "--server.port=0",
				"--iot.database.embedded.ephemeral=false",
				"--iot.database.embedded.data-directory=" + this.data.resolve("postgres"),
				"--iot.security.admin-token-file=" + tokenFile, "--IOT_ADMIN_TOKEN=");
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

}
