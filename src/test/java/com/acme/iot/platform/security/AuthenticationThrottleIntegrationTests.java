package com.acme.iot.platform.security;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client addresses are set with {@code X-Forwarded-For}, which the service trusts from loopback proxies the
 * way it trusts Azure Container Apps' ingress.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.security.auth-throttle.max-failures=3", "iot.security.auth-throttle.window=PT1M" })
class AuthenticationThrottleIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void throttlesAClientAfterRepeatedFailedAuthentication() {
		ApiClient guesser = new ApiClient(this.port, "iot_guess").withHeader("X-Forwarded-For", "203.0.113.9");
		for (int attempt = 0; attempt < 3; attempt++) {
			assertThat(guesser.get("/api/sensors").status()).isEqualTo(401);
		}

		var throttled = guesser.get("/api/sensors");

		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.contentType()).startsWith("application/problem+json");
		assertThat(throttled.header("Retry-After")).hasValueSatisfying(
				seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 61));
		assertThat(guesser.as("test-admin-token").get("/api/sensors").status())
			.as("even a valid token waits out the window from that address")
			.isEqualTo(429);
		assertThat(guesser.as(null).get("/actuator/health").status()).as("public endpoints stay open").isEqualTo(200);
	}

	@Test
	void leavesOtherClientsAlone() {
		ApiClient guesser = new ApiClient(this.port, "iot_guess").withHeader("X-Forwarded-For", "198.51.100.20");
		for (int attempt = 0; attempt < 5; attempt++) {
			guesser.get("/api/sensors");
		}

		ApiClient neighbour = new ApiClient(this.port, "test-admin-token").withHeader("X-Forwarded-For",
				"198.51.100.21");

		assertThat(neighbour.get("/api/sensors").status()).isEqualTo(200);
	}

}
