package com.acme.iot.platform.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;
import com.acme.iot.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client addresses are set with {@code X-Forwarded-For} from 127.0.0.1, configured here as the one trusted
 * proxy, the way the local profile trusts loopback and Azure trusts the Container Apps ingress. Any other
 * peer's {@code X-Forwarded-For} is ignored.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.security.auth-throttle.max-failures=3",
				"iot.security.auth-throttle.max-failures-per-address=6", "iot.security.auth-throttle.window=PT1M",
				"server.tomcat.remoteip.internal-proxies=127\\\\.0\\\\.0\\\\.1" })
class AuthenticationThrottleIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void throttlesTheFailingCredentialAndNotTheOthersOfItsAddress() {
		ApiClient site = new ApiClient(this.port, null).withHeader("X-Forwarded-For", "203.0.113.9");
		ApiClient rotatedDevice = site.as("dev_rotated-" + UUID.randomUUID());
		for (int attempt = 0; attempt < 3; attempt++) {
			assertThat(rotatedDevice.get("/api/sensors").status()).isEqualTo(401);
		}

		var throttled = rotatedDevice.get("/api/sensors");

		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.contentType()).startsWith("application/problem+json");
		assertThat(throttled.header("Retry-After")).hasValueSatisfying(
				seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 61));
		assertThat(site.as("test-admin-token").get("/api/sensors").status())
			.as("a valid token behind the same address keeps working")
			.isEqualTo(200);
		assertThat(site.as("iot_another-" + UUID.randomUUID()).get("/api/sensors").status())
			.as("another bad token has its own count")
			.isEqualTo(401);
		assertThat(site.get("/actuator/health").status()).as("public endpoints stay open").isEqualTo(200);
	}

	@Test
	void leavesTheSameCredentialAloneFromAnotherAddress() {
		String token = "iot_guess-" + UUID.randomUUID();
		ApiClient guesser = new ApiClient(this.port, token).withHeader("X-Forwarded-For", "198.51.100.20");
		for (int attempt = 0; attempt < 5; attempt++) {
			guesser.get("/api/sensors");
		}

		ApiClient neighbour = new ApiClient(this.port, token).withHeader("X-Forwarded-For", "198.51.100.21");

		assertThat(neighbour.get("/api/sensors").status()).isEqualTo(401);
	}

	@Test
	void capsTheFailuresOfOneAddressAgainstTokenSprayingButServesCredentialsThatJustWorked() {
		ApiClient sprayer = new ApiClient(this.port, null).withHeader("X-Forwarded-For", "192.0.2.77");
		assertThat(sprayer.as("test-admin-token").get("/api/sensors").status()).isEqualTo(200);
		for (int attempt = 0; attempt < 6; attempt++) {
			assertThat(sprayer.as("iot_spray-" + UUID.randomUUID()).get("/api/sensors").status()).isEqualTo(401);
		}

		var ceiling = sprayer.as("iot_spray-" + UUID.randomUUID()).get("/api/sensors");

		assertThat(ceiling.status()).as("a new credential beyond the address ceiling").isEqualTo(429);
		assertThat(ceiling.header("Retry-After")).isPresent();
		assertThat(sprayer.as("test-admin-token").get("/api/sensors").status())
			.as("a credential that authenticated recently is still served")
			.isEqualTo(200);
	}

	@Test
	void ignoresForwardedForFromAPeerThatIsNotAConfiguredProxy() throws IOException {
		String token = "iot_rotating-" + UUID.randomUUID();
		for (int attempt = 0; attempt < 3; attempt++) {
			assertThat(getFrom("127.0.0.2", "198.18.0." + attempt, token)).isEqualTo(401);
		}

		assertThat(getFrom("127.0.0.2", "198.18.0.99", token))
			.as("the failures were counted on the peer's own address, whatever it claimed")
			.isEqualTo(429);
	}

	/** A request from a chosen loopback address, which the JDK's HTTP client cannot bind. */
	private int getFrom(String localAddress, String forwardedFor, String token) throws IOException {
		return RawHttp.send(this.port, localAddress, ("GET /api/sensors HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				+ "Authorization: Bearer " + token + "\r\nX-Forwarded-For: " + forwardedFor
				+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)).status();
	}

}
