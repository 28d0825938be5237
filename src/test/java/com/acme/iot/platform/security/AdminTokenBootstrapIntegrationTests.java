package com.acme.iot.platform.security;

import java.nio.file.Path;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bootstrap admin token from {@code IOT_ADMIN_TOKEN} across restarts of one installation.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminTokenBootstrapIntegrationTests {

	static final String FIRST = "first-bootstrap-token-of-this-installation";

	static final String SECOND = "second-bootstrap-token-after-the-first-was-revoked";

	@TempDir
	Path data;

	@Test
	void keepsARevokedBootstrapTokenRevokedAcrossRestartsAndIssuesANewOneForANewValue() {
		try (ConfigurableApplicationContext first = start(FIRST, "production")) {
			ApiClient admin = new ApiClient(port(first), FIRST);
			String id = bootstrap(admin).get("id").stringValue();
			assertThat(admin.delete("/api/tokens/" + id).status()).isEqualTo(204);
			assertThat(admin.get("/api/tokens").status()).isEqualTo(401);
		}

		try (ConfigurableApplicationContext restarted = start(FIRST, "production")) {
			assertThat(new ApiClient(port(restarted), FIRST).get("/api/tokens").status())
				.as("the same IOT_ADMIN_TOKEN after a restart")
				.isEqualTo(401);
		}

		try (ConfigurableApplicationContext rotated = start(SECOND, "production")) {
			ApiClient admin = new ApiClient(port(rotated), SECOND);
			var tokens = admin.get("/api/tokens");
			assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
			assertThat(new ApiClient(port(rotated), FIRST).get("/api/tokens").status()).isEqualTo(401);
			assertThat(tokens.json().valueStream().filter(token -> token.get("name").stringValue().equals("bootstrap-admin")))
				.as("the revoked bootstrap token stays listed as revoked next to the new one")
				.hasSize(2)
				.anySatisfy(token -> assertThat(token.get("revokedAt").isNull()).isFalse())
				.anySatisfy(token -> assertThat(token.get("revokedAt").isNull()).isTrue());
		}
	}

	@Test
	void refusesToStartOutsideTheLocalEnvironmentWithAShortAdminToken(CapturedOutput output) {
		assertThatThrownBy(() -> start("short-admin-token", "production")).hasStackTraceContaining("IOT_ADMIN_TOKEN")
			.hasStackTraceContaining("at least 32 characters");
		assertThat(output.getAll()).doesNotContain("short-admin-token");
	}

	@Test
	void acceptsAShortAdminTokenLocallyWithAWarning(CapturedOutput output) {
		try (ConfigurableApplicationContext local = start("short-admin-token", "local")) {
			assertThat(new ApiClient(port(local), "short-admin-token").get("/api/tokens").status()).isEqualTo(200);
		}
		assertThat(output.getAll()).contains("IOT_ADMIN_TOKEN is shorter than 32 characters")
			.doesNotContain("short-admin-token");
	}

	private static JsonNode bootstrap(ApiClient admin) {
		var tokens = admin.get("/api/tokens");
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		return tokens.json()
			.valueStream()
			.filter(token -> token.get("name").stringValue().equals("bootstrap-admin"))
			.findFirst()
			.orElseThrow();
	}

	private ConfigurableApplicationContext start(String adminToken, String environment) {
		return SpringApplication.run(IotApiApplication.class, "--server.port=0",
				"--iot.database.embedded.ephemeral=false",
				"--iot.database.embedded.data-directory=" + this.data.resolve("postgres"),
				"--iot.security.admin-token-file=" + this.data.resolve("admin-token"), "--IOT_ADMIN_TOKEN=" + adminToken,
				"--iot.release.environment=" + environment, "--iot.scheduling.enabled=false");
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

}
