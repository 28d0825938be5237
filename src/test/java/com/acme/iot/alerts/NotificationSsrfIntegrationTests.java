package com.acme.iot.alerts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook and Slack channels cannot be turned against the service's own network: internal addresses are
 * refused when a URL is saved and again when a delivery connects, a receiver's answer never comes back
 * through the API, and the URLs themselves are shown masked. The test configuration allows the named
 * internal host {@code 127.0.0.1} (where the other alerts tests run their receiver), and only that spelling.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class NotificationSsrfIntegrationTests {

	/** Loopback, link-local and cloud metadata, private, CGNAT, multicast and unspecified, in many spellings. */
	static final List<String> INTERNAL_URLS = List.of("http://127.0.0.2/hook", "http://localhost:8080/hook",
			"http://LOCALHOST./hook", "http://[::1]/hook", "http://0x7f000001/hook", "http://2130706433/hook",
			"http://0177.0.0.1/hook", "http://127.1/hook", "http://017700000001/hook", "http://0x7f.0.0.1/hook",
			"http://169.254.169.254/latest/meta-data/", "http://[fe80::1%25eth0]/hook", "http://10.0.0.1/hook",
			"http://172.16.5.4/hook", "http://192.168.1.1/hook", "http://100.64.0.1/hook", "http://[fd00::1]/hook",
			"http://[::ffff:127.0.0.1]/hook", "http://[::ffff:7f00:1]/hook", "http://[::127.0.0.1]/hook",
			"http://[64:ff9b::a9fe:a9fe]/hook", "http://[2002:7f00:1::]/hook", "http://0.0.0.0/hook",
			"http://[::]/hook", "http://224.0.0.1/hook", "http://255.255.255.255/hook");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Clock clock;

	ApiClient admin;

	@BeforeEach
	void setUp() {
		this.admin = new ApiClient(this.port, "test-admin-token");
	}

	@Test
	void refusesWebhookAndSlackUrlsThatPointAtInternalAddresses() {
		for (String type : List.of("WEBHOOK", "SLACK")) {
			for (String url : INTERNAL_URLS) {
				Response response = this.admin.post("/api/notification-channels", channel(type, url));

				assertThat(response.status()).as(type + " " + url + ": " + response).isEqualTo(422);
				assertThat(response.contentType()).startsWith("application/problem+json");
				assertThat(response.json().get("errors").get(0).get("field").stringValue()).isEqualTo("url");
			}
		}
	}

	@Test
	void refusesUrlsCarryingCredentials() {
		Response response = this.admin.post("/api/notification-channels",
				channel("WEBHOOK", "https://ops:hunter2-in-the-url@hooks.example.com/alerts"));

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.body()).doesNotContain("hunter2-in-the-url");
	}

	@Test
	void refusesAnInternalUrlPatchedIntoAnExistingChannel() {
		String id = create(channel("WEBHOOK", "https://hooks.example.com/alerts"));
		try {
			Response patched = this.admin.patch("/api/notification-channels/" + id,
					"{\"url\":\"http://169.254.169.254/latest/meta-data/\"}");

			assertThat(patched.status()).as(patched.toString()).isEqualTo(422);
		}
		finally {
			this.admin.delete("/api/notification-channels/" + id);
		}
	}

	@Test
	void acceptsTheNamedInternalHostTheOperatorAllowed() {
		String id = create(channel("WEBHOOK", "http://127.0.0.1:9/hook"));

		this.admin.delete("/api/notification-channels/" + id);
	}

	@Test
	void masksWebhookUrlsLikeSlackUrls() {
		String id = create(channel("WEBHOOK", "https://hooks.example.com/T000/secret-path?token=abc"));
		try {
			for (JsonNode view : List.of(this.admin.get("/api/notification-channels/" + id).json(),
					this.admin.get("/api/notification-channels?size=200").json().get("items").valueStream()
						.filter(item -> item.get("id").stringValue().equals(id))
						.findFirst()
						.orElseThrow())) {
				assertThat(view.get("url").stringValue()).isEqualTo("https://hooks.example.com/***");
			}
		}
		finally {
			this.admin.delete("/api/notification-channels/" + id);
		}
	}

	@Test
	void marksADeliveryToAnInternalAddressFailedAtConnectTimeWithoutSendingIt() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
		internal.createContext("/", exchange -> {
			received.add(exchange.getRequestURI().toString());
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		internal.start();
		// Saved before the policy existed, or saved under a name whose DNS answer changed since: only the
		// check at connect time stands between the dispatcher and the internal address.
		UUID channel = insertChannelUnchecked("http://127.0.0.2:" + internal.getAddress().getPort() + "/hook");
		try {
			triggerCriticalAlert();

			JsonNode delivery = awaitFinished(channel);

			assertThat(delivery.get("status").stringValue()).isEqualTo("FAILED");
			assertThat(delivery.get("attempts").intValue()).as("refused at once, never retried").isEqualTo(1);
			assertThat(delivery.get("lastError").stringValue()).contains("internal address")
				.doesNotContain("127.0.0.2");
			assertThat(received).as("requests that reached the internal receiver").isEmpty();
		}
		finally {
			internal.stop(0);
			this.admin.delete("/api/notification-channels/" + channel);
		}
	}

	@Test
	void keepsOnlyTheStatusCodeOfAFailingReceiverNeverItsResponse() throws Exception {
		HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/", exchange -> {
			exchange.getRequestBody().readAllBytes();
			byte[] answer = "instance-id: i-0123456789abcdef; secret-response-body".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(503, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		receiver.start();
		String id = create(channel("WEBHOOK", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
		try {
			triggerCriticalAlert();

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				JsonNode delivery = deliveries(UUID.fromString(id)).get(0);
				assertThat(delivery.get("attempts").intValue()).isPositive();
				assertThat(delivery.get("lastError").stringValue()).isEqualTo("HTTP 503 from the receiver");
			});
			assertThat(this.jdbc.sql("select count(*) from notification_delivery where last_error like '%secret%'")
				.query(Long.class)
				.single()).as("response bodies stored").isZero();
		}
		finally {
			receiver.stop(0);
			this.admin.delete("/api/notification-channels/" + id);
		}
	}

	private static String channel(String type, String url) {
		return """
				{"name":"ssrf-%s","type":"%s","url":"%s","minSeverity":"CRITICAL"}""".formatted(UUID.randomUUID(), type,
				url);
	}

	private String create(String json) {
		Response created = this.admin.post("/api/notification-channels", json);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("id").stringValue();
	}

	private UUID insertChannelUnchecked(String url) {
		UUID id = UUID.randomUUID();
		Timestamp now = Timestamp.from(this.clock.instant());
		this.jdbc.sql("""
				insert into notification_channel (id, name, type, min_severity, enabled, url, created_at, updated_at)
				values (:id, :name, 'WEBHOOK', 'CRITICAL', true, :url, :now, :now)""")
			.param("id", id)
			.param("name", "ssrf-unchecked-" + id)
			.param("url", url)
			.param("now", now)
			.update();
		return id;
	}

	/** A CO2 sensor of its own, a CRITICAL rule on it, and a reading above the threshold. */
	private void triggerCriticalAlert() {
		ApiClient operator = this.admin.as(this.admin.issueToken("OPERATOR"));
		Response sensor = operator.post("/api/sensors", """
				{"name":"ssrf-%s","kind":"CO2","site":"ssrf-%s"}""".formatted(UUID.randomUUID(), UUID.randomUUID()));
		assertThat(sensor.status()).as(sensor.toString()).isEqualTo(201);
		String id = sensor.json().get("id").stringValue();
		await().until(() -> this.jdbc.sql("select count(*) from alert_sensor where sensor_id = :id")
			.param("id", UUID.fromString(id))
			.query(Long.class)
			.single() == 1);
		Response rule = operator.post("/api/alert-rules", """
				{"name":"ssrf-%s","scope":{"sensorId":"%s"},"condition":"ABOVE","threshold":1000,"severity":"CRITICAL"}"""
			.formatted(UUID.randomUUID(), id));
		assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
		Response reading = operator.post("/api/sensors/" + id + "/readings", "{\"value\":2500}");
		assertThat(reading.status()).as(reading.toString()).isEqualTo(200);
	}

	private JsonNode awaitFinished(UUID channel) {
		return await().atMost(Duration.ofSeconds(60)).until(() -> {
			List<JsonNode> items = deliveries(channel);
			return items.isEmpty() ? null : items.get(0);
		}, delivery -> delivery != null && !delivery.get("status").stringValue().equals("PENDING"));
	}

	private List<JsonNode> deliveries(UUID channel) {
		Response response = this.admin.get("/api/notification-channels/" + channel + "/deliveries");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("items").valueStream().toList();
	}

}
