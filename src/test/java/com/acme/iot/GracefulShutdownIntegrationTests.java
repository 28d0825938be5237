package com.acme.iot;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Container Apps gives a replica 30 s between SIGTERM and SIGKILL: open live streams must end at once so the
 * graceful shutdown only waits for real in-flight requests.
 */
class GracefulShutdownIntegrationTests {

	@Test
	void closesLiveStreamsPromptlyOnShutdown() throws Exception {
		ConfigurableApplicationContext context = SpringApplication.run(IotApiApplication.class, "--server.port=0");
		int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
		ApiClient admin = new ApiClient(port, "test-admin-token");
		String sensor = admin.post("/api/sensors", "{\"name\":\"stream\",\"kind\":\"CO2\",\"site\":\"shutdown\"}")
			.json()
			.get("id")
			.stringValue();
		HttpClient http = HttpClient.newHttpClient();
		List<CompletableFuture<Long>> streams = List.of("/api/alerts/stream", "/api/sensors/" + sensor + "/readings/stream")
			.stream()
			.map(path -> openStream(http, port, path))
			.toList();
		Thread.sleep(1_000);

		long start = System.nanoTime();
		context.close();
		Duration shutdown = Duration.ofNanos(System.nanoTime() - start);

		assertThat(shutdown).as("shutdown time").isLessThan(Duration.ofSeconds(10));
		for (CompletableFuture<Long> stream : streams) {
			assertThat(stream.get(10, TimeUnit.SECONDS)).as("bytes received before the stream ended").isPositive();
		}
	}

	private static CompletableFuture<Long> openStream(HttpClient http, int port, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer test-admin-token")
			.header("Accept", "text/event-stream")
			.build();
		return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(response -> {
			try (InputStream body = response.body()) {
				assertThat(response.statusCode()).isEqualTo(200);
				return body.transferTo(java.io.OutputStream.nullOutputStream());
			}
			catch (java.io.IOException ex) {
				return -1L;
			}
		});
	}

}
