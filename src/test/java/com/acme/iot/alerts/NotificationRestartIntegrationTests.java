package com.acme.iot.alerts;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;
import com.acme.iot.IotApiApplication;
import com.acme.iot.readings.ReadingsRecorded;
import com.acme.iot.readings.RecordedReading;
import com.acme.iot.sensors.SensorId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failing webhook delivery survives a restart: the service is stopped after the first refused attempt and
 * started again on the same database, and the retries carry on until the receiver accepts.
 */
class NotificationRestartIntegrationTests {

	@TempDir
	Path data;

	@Test
	void retriesAWebhookAcrossAnApplicationRestartUntilItIsDelivered() throws Exception {
		try (TestReceiver receiver = new TestReceiver(2)) {
			String[] args = { "--iot.database.embedded.ephemeral=false",
					"--iot.database.embedded.data-directory=" + this.data.resolve("postgres"), "--server.port=0",
					"--iot.security.admin-token-file=" + this.data.resolve("admin-token"),
					"--iot.alerts.notifications.initial-backoff=PT3S",
					"--iot.alerts.notifications.dispatch-interval=PT0.5S" };
			String channel;
			try (ConfigurableApplicationContext first = start(args)) {
				ApiClient admin = client(first);
				Response created = admin.post("/api/notification-channels", """
						{"name":"restart-webhook","type":"WEBHOOK","url":"%s","secret":"k","minSeverity":"CRITICAL"}"""
					.formatted(receiver.url("/hook")));
				assertThat(created.status()).as(created.toString()).isEqualTo(201);
				channel = created.json().get("id").stringValue();
				Response sensor = admin.post("/api/sensors",
						"{\"name\":\"boiler\",\"kind\":\"TEMPERATURE\",\"site\":\"plant\"}");
				String sensorId = sensor.json().get("id").stringValue();
				assertThat(admin.post("/api/alert-rules", """
						{"name":"Boiler too hot","scope":{"sensorId":"%s"},"condition":"ABOVE","threshold":90,
						 "severity":"CRITICAL"}""".formatted(sensorId)).status()).isEqualTo(201);
				first.getBean(TransactionTemplate.class)
					.executeWithoutResult(status -> first.publishEvent(new ReadingsRecorded(SensorId.of(sensorId),
							List.of(new RecordedReading(Instant.now(), 95)))));

				await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
			}
			Instant restartedAt = Instant.now();
			assertThat(receiver.received()).as("only the first attempt before the restart").hasSize(1);

			try (ConfigurableApplicationContext second = start(args)) {
				ApiClient admin = client(second);
				await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					JsonNode delivery = admin.get("/api/notification-channels/" + channel + "/deliveries")
						.json()
						.get("items")
						.get(0);
					assertThat(delivery.get("status").stringValue()).isEqualTo("DELIVERED");
					assertThat(delivery.get("attempts").intValue()).isEqualTo(3);
				});
			}
			List<TestReceiver.Received> requests = receiver.received();
			assertThat(requests).hasSize(3);
			assertThat(requests).extracting(request -> request.header("X-Delivery-Id"))
				.containsOnly(requests.get(0).header("X-Delivery-Id"));
			assertThat(requests.get(1).at()).isAfter(restartedAt);
			assertThat(requests.get(2).at()).isAfter(requests.get(1).at());
		}
	}

	private static ConfigurableApplicationContext start(String[] args) {
		return new SpringApplicationBuilder(IotApiApplication.class).run(args);
	}

	private static ApiClient client(ConfigurableApplicationContext context) {
		int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
		return new ApiClient(port, "test-admin-token");
	}

}
