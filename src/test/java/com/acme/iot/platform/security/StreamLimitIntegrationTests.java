package com.acme.iot.platform.security;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One caller may hold only so many live streams, readings and alerts together; streams end after a few
 * seconds here so that freed places can be seen.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.streams.max-per-caller=2", "iot.readings.stream-timeout=PT3S",
				"iot.alerts.stream-timeout=PT3S" })
class StreamLimitIntegrationTests {

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newHttpClient();

	final List<InputStream> open = new ArrayList<>();

	ApiClient admin;

	String sensor;

	@BeforeEach
	void setUp() {
		this.admin = new ApiClient(this.port, "test-admin-token");
		this.sensor = this.admin.post("/api/sensors", """
				{"name":"streams-%s","kind":"CO2","site":"streams"}""".formatted(UUID.randomUUID()))
			.json()
			.get("id")
			.stringValue();
	}

	@AfterEach
	void closeStreams() throws Exception {
		for (InputStream stream : this.open) {
			stream.close();
		}
	}

	@Test
	void refusesAStreamBeyondTheCallersLimitWith429UntilOneEnds() throws Exception {
		String reader = this.admin.issueToken("READER");
		assertThat(stream(reader, "/api/alerts/stream").statusCode()).isEqualTo(200);
		assertThat(stream(reader, readings()).statusCode()).isEqualTo(200);

		HttpResponse<InputStream> refused = stream(reader, "/api/alerts/stream");

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
				seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
		assertThat(stream(reader, readings()).statusCode()).as("both streams count").isEqualTo(429);
		assertThat(stream(this.admin.issueToken("READER"), "/api/alerts/stream").statusCode())
			.as("another caller has places of its own")
			.isEqualTo(200);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(stream(reader, readings()).statusCode())
				.as("a place freed when a stream ended")
				.isEqualTo(200));
	}

	@Test
	void countsARefusedOrFailedOpeningAgainstNothing() throws Exception {
		String reader = this.admin.issueToken("READER");
		for (int attempt = 0; attempt < 5; attempt++) {
			assertThat(stream(reader, "/api/sensors/" + UUID.randomUUID() + "/readings/stream").statusCode())
				.isEqualTo(404);
		}

		assertThat(stream(reader, readings()).statusCode()).isEqualTo(200);
		assertThat(stream(reader, "/api/alerts/stream").statusCode()).isEqualTo(200);
	}

	private String readings() {
		return "/api/sensors/" + this.sensor + "/readings/stream";
	}

	private HttpResponse<InputStream> stream(String token, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer " + token)
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(20))
			.build();
		HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		if (response.statusCode() == 200) {
			this.open.add(response.body());
		}
		else {
			try (InputStream body = response.body()) {
				body.readAllBytes();
			}
		}
		return response;
	}

}
