package com.acme.iot.alerts;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;
import com.acme.iot.TestClock;
import com.acme.iot.alerts.notifications.NotificationSenders;
import com.acme.iot.alerts.rules.OfflineSensorDetection;
import com.acme.iot.alerts.support.AlertMetrics;
import com.acme.iot.readings.ReadingsRecorded;
import com.acme.iot.readings.RecordedReading;
import com.acme.iot.sensors.SensorId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alerts module end to end: rules and alerts over HTTP, readings published as the readings module
 * publishes them, webhooks and Slack against a real HTTP server, e-mail against a real SMTP server (GreenMail).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.alerts.notifications.initial-backoff=PT0.5S",
				"iot.alerts.notifications.dispatch-interval=PT0.5S" })
class AlertsIntegrationTests {

	static final GreenMail smtp = startSmtp();

	@DynamicPropertySource
	static void mail(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
	}

	@LocalServerPort
	int port;

	/** Moved forward by the offline and backoff tests, so no test waits for real minutes. */
	@Autowired
	TestClock clock;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	OfflineSensorDetection offlineDetection;

	@Autowired
	AlertMetrics metrics;

	ApiClient admin;

	ApiClient operator;

	ApiClient reader;

	String readerToken;

	String site;

	@BeforeEach
	void setUp() {
		this.admin = new ApiClient(this.port, "test-admin-token");
		this.operator = this.admin.as(this.admin.issueToken("OPERATOR"));
		this.readerToken = this.admin.issueToken("READER");
		this.reader = this.admin.as(this.readerToken);
		this.site = "site-" + UUID.randomUUID();
	}

	@AfterAll
	static void stopSmtp() {
		smtp.stop();
	}

	@Test
	void opensOneAlertWhileAValueOscillatesAboveTheClearThresholdAndResolvesBelowIt() {
		String sensor = register("TEMPERATURE", this.site);
		String rule = createRule(sensorScope(sensor), "ABOVE", 30.0, 28.0, "PT0S", "MAJOR");
		Instant t = start();

		record(sensor, t, 31, 29, 31.5, 29.5, 32, 28.5, 31);

		List<JsonNode> alerts = thresholdAlerts(sensor);
		assertThat(alerts).hasSize(1);
		JsonNode alert = alerts.get(0);
		assertThat(alert.get("state").stringValue()).isEqualTo("OPEN");
		assertThat(alert.get("ruleId").stringValue()).isEqualTo(rule);
		assertThat(alert.get("severity").stringValue()).isEqualTo("MAJOR");
		assertThat(alert.get("lastValue").doubleValue()).isEqualTo(31);
		assertThat(alert.get("peakValue").doubleValue()).isEqualTo(32);
		assertThat(Instant.parse(alert.get("lastBreachAt").stringValue())).isEqualTo(t.plusSeconds(6));
		assertThat(alert.has("openedAt")).isTrue();

		record(sensor, t.plusSeconds(10), 27.9);

		alerts = thresholdAlerts(sensor);
		assertThat(alerts).hasSize(1);
		assertThat(alerts.get(0).get("state").stringValue()).isEqualTo("RESOLVED");

		record(sensor, t.plusSeconds(20), 30.5);
		assertThat(thresholdAlerts(sensor)).hasSize(2).first().satisfies(
				newest -> assertThat(newest.get("state").stringValue()).as("newest first").isEqualTo("OPEN"));
	}

	@Test
	void opensOneAlertWhileAValueOscillatesBelowTheClearThresholdOfABelowRule() {
		String sensor = register("HUMIDITY", this.site);
		createRule(sensorScope(sensor), "BELOW", 20.0, 25.0, null, "MINOR");
		Instant t = start();

		record(sensor, t, 19, 24, 18, 24.9, 19.5);

		List<JsonNode> alerts = thresholdAlerts(sensor);
		assertThat(alerts).hasSize(1);
		assertThat(alerts.get(0).get("state").stringValue()).isEqualTo("OPEN");
		assertThat(alerts.get(0).get("peakValue").doubleValue()).isEqualTo(18);

		record(sensor, t.plusSeconds(10), 25);
		assertThat(thresholdAlerts(sensor)).singleElement()
			.satisfies(alert -> assertThat(alert.get("state").stringValue()).isEqualTo("RESOLVED"));
	}

	@Test
	void opensNothingForASpikeShorterThanForDurationByMeasurementTime() {
		String sensor = register("CO2", this.site);
		createRule(sensorScope(sensor), "ABOVE", 1000.0, null, "PT5M", "WARNING");
		Instant t = start();

		record(sensor, t, 1500);
		record(sensor, t.plus(4, ChronoUnit.MINUTES), 1600);
		record(sensor, t.plus(5, ChronoUnit.MINUTES).minusSeconds(1), 900);
		record(sensor, t.plus(6, ChronoUnit.MINUTES), 1700);
		assertThat(thresholdAlerts(sensor)).as("the spikes never held for 5 minutes").isEmpty();

		record(sensor, t.plus(11, ChronoUnit.MINUTES), 1200, 1300);
		assertThat(thresholdAlerts(sensor)).singleElement().satisfies(alert -> {
			assertThat(alert.get("state").stringValue()).isEqualTo("OPEN");
			assertThat(alert.get("peakValue").doubleValue()).isEqualTo(1700);
		});
	}

	@Test
	void appliesARuleScopedByKindAndSiteToASensorRegisteredLater() {
		String rule = createRule("{\"kind\":\"PM2_5\",\"site\":\"" + this.site + "\"}", "ABOVE", 50.0, 40.0, null,
				"MAJOR");
		String matching = register("PM2_5", this.site);
		String otherKind = register("PM10", this.site);
		String otherSite = register("PM2_5", this.site + "-elsewhere");
		Instant t = start();

		record(matching, t, 80);
		record(otherKind, t, 80);
		record(otherSite, t, 80);

		assertThat(thresholdAlerts(matching)).singleElement()
			.satisfies(alert -> assertThat(alert.get("ruleId").stringValue()).isEqualTo(rule));
		assertThat(thresholdAlerts(otherKind)).isEmpty();
		assertThat(thresholdAlerts(otherSite)).isEmpty();
		JsonNode bySite = this.reader.get("/api/alerts?site=" + this.site + "&state=OPEN&severity=MAJOR").json();
		assertThat(bySite.get("total").longValue()).isEqualTo(1);
	}

	@Test
	void acknowledgesWithACommentThenResolvesByItselfWithTheWholeTimeline() {
		String sensor = register("NOISE", this.site);
		createRule(sensorScope(sensor), "ABOVE", 85.0, 80.0, null, "MINOR");
		Instant t = start();
		record(sensor, t, 90);
		String id = thresholdAlerts(sensor).get(0).get("id").stringValue();

		assertThat(this.reader.post("/api/alerts/" + id + "/acknowledge", "{\"comment\":\"x\"}").status())
			.isEqualTo(403);
		Response acknowledged = this.operator.post("/api/alerts/" + id + "/acknowledge",
				"{\"comment\":\"Closing the window\"}");
		assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(200);
		assertThat(acknowledged.json().get("state").stringValue()).isEqualTo("ACKNOWLEDGED");
		assertThat(this.operator.post("/api/alerts/" + id + "/acknowledge", "{}").status()).isEqualTo(409);

		record(sensor, t.plusSeconds(1), 95);
		record(sensor, t.plusSeconds(2), 79);

		JsonNode alert = this.reader.get("/api/alerts/" + id).json();
		assertThat(alert.get("state").stringValue()).isEqualTo("RESOLVED");
		assertThat(alert.get("peakValue").doubleValue()).isEqualTo(95);
		JsonNode timeline = alert.get("timeline");
		assertThat(timeline.valueStream().map(step -> step.get("type").stringValue())).containsExactly("OPENED",
				"ACKNOWLEDGED", "RESOLVED");
		assertThat(timeline.get(1).get("by").stringValue()).startsWith("token:");
		assertThat(timeline.get(1).get("comment").stringValue()).isEqualTo("Closing the window");
		assertThat(timeline.get(2).get("reason").stringValue()).isEqualTo("CLEARED");
		assertThat(this.operator.post("/api/alerts/" + id + "/resolve", null).status()).isEqualTo(409);
	}

	@Test
	void resolvesByHandAndOpensAgainOnlyAfterTheValueCleared() {
		String sensor = register("LIGHT", this.site);
		createRule(sensorScope(sensor), "ABOVE", 1000.0, 900.0, null, "WARNING");
		Instant t = start();
		record(sensor, t, 1200);
		String id = thresholdAlerts(sensor).get(0).get("id").stringValue();

		Response resolved = this.operator.post("/api/alerts/" + id + "/resolve", "{\"comment\":\"known issue\"}");
		assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
		assertThat(resolved.json().get("timeline").get(1).get("reason").stringValue()).isEqualTo("MANUAL");

		record(sensor, t.plusSeconds(1), 1300);
		assertThat(thresholdAlerts(sensor)).hasSize(1);
		record(sensor, t.plusSeconds(2), 800, 1100);
		assertThat(thresholdAlerts(sensor)).hasSize(2);
	}

	@Test
	void ignoresALateReadingOlderThanTheRuleStateForItsState() {
		String sensor = register("PRESSURE", this.site);
		createRule(sensorScope(sensor), "ABOVE", 1030.0, null, null, "MAJOR");
		Instant t = start();

		record(sensor, t.plusSeconds(60), 1040);
		record(sensor, t.plusSeconds(30), 1000);

		assertThat(thresholdAlerts(sensor)).singleElement().satisfies(alert -> {
			assertThat(alert.get("state").stringValue()).isEqualTo("OPEN");
			assertThat(alert.get("lastValue").doubleValue()).isEqualTo(1040);
		});

		record(sensor, t.plusSeconds(90), 1000);
		assertThat(thresholdAlerts(sensor)).singleElement()
			.satisfies(alert -> assertThat(alert.get("state").stringValue()).isEqualTo("RESOLVED"));
	}

	@Test
	void opensAnOfflineAlertForASilentSensorAndResolvesItWithTheNextReading() {
		String silent = register("VOC", this.site, "PT2M");
		String talking = register("VOC", this.site, "PT2M");
		awaitMonitored(silent);
		awaitMonitored(talking);

		this.clock.advance(Duration.ofMinutes(1));
		record(talking, this.clock.instant(), 100);
		this.clock.advance(Duration.ofSeconds(90));
		this.offlineDetection.check();

		List<JsonNode> offline = alerts(silent, "SENSOR_OFFLINE");
		assertThat(offline).as("silent since registration").singleElement().satisfies(alert -> {
			assertThat(alert.get("state").stringValue()).isEqualTo("OPEN");
			assertThat(alert.has("ruleId")).isFalse();
			assertThat(alert.get("severity").stringValue()).isEqualTo("MAJOR");
		});
		assertThat(alerts(talking, "SENSOR_OFFLINE")).isEmpty();
		this.offlineDetection.check();
		assertThat(alerts(silent, "SENSOR_OFFLINE")).as("one alert per sensor").hasSize(1);

		record(silent, this.clock.instant(), 150);
		assertThat(alerts(silent, "SENSOR_OFFLINE")).singleElement()
			.satisfies(alert -> assertThat(alert.get("state").stringValue()).isEqualTo("RESOLVED"));
	}

	@Test
	void resolvesTheAlertsOfADecommissionedSensor() {
		String sensor = register("TEMPERATURE", this.site);
		createRule(sensorScope(sensor), "BELOW", 5.0, null, null, "MAJOR");
		record(sensor, start(), 2);
		assertThat(thresholdAlerts(sensor)).hasSize(1);

		assertThat(this.operator.delete("/api/sensors/" + sensor).status()).isEqualTo(204);

		await().untilAsserted(() -> assertThat(thresholdAlerts(sensor)).singleElement()
			.satisfies(alert -> assertThat(alert.get("state").stringValue()).isEqualTo("RESOLVED")));
		String id = thresholdAlerts(sensor).get(0).get("id").stringValue();
		assertThat(this.reader.get("/api/alerts/" + id).json().get("timeline").get(1).get("reason").stringValue())
			.isEqualTo("SENSOR_DECOMMISSIONED");
	}

	@Test
	void managesRulesWithTheExactShapeAndRejectsInvalidOnes() {
		String sensor = register("TEMPERATURE", this.site);
		Response created = this.operator.post("/api/alert-rules", """
				{"name":"Greenhouse too hot","scope":{"kind":"TEMPERATURE","site":"%s"},"condition":"ABOVE",
				 "threshold":30.0,"clearThreshold":28.0,"forDuration":"PT5M","severity":"CRITICAL","enabled":true}"""
			.formatted(this.site));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode rule = created.json();
		String id = rule.get("id").stringValue();
		assertThat(created.header("Location")).hasValue("/api/alert-rules/" + id);
		assertThat(rule.get("scope").get("kind").stringValue()).isEqualTo("TEMPERATURE");
		assertThat(rule.get("scope").has("sensorId")).isFalse();
		assertThat(rule.get("forDuration").stringValue()).isEqualTo("PT5M");
		assertThat(rule.get("clearThreshold").doubleValue()).isEqualTo(28.0);

		JsonNode defaults = this.operator.post("/api/alert-rules", """
				{"name":"Too cold","scope":{"sensorId":"%s"},"condition":"BELOW","threshold":5,"severity":"MINOR"}"""
			.formatted(sensor)).json();
		assertThat(defaults.get("clearThreshold").doubleValue()).isEqualTo(5.0);
		assertThat(defaults.get("forDuration").stringValue()).isEqualTo("PT0S");
		assertThat(defaults.get("enabled").booleanValue()).isTrue();

		Response patched = this.operator.patch("/api/alert-rules/" + id,
				"{\"threshold\":35,\"enabled\":false,\"forDuration\":null}");
		assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
		assertThat(patched.json().get("threshold").doubleValue()).isEqualTo(35);
		assertThat(patched.json().get("clearThreshold").doubleValue()).isEqualTo(28);
		assertThat(patched.json().get("enabled").booleanValue()).isFalse();
		assertThat(patched.json().get("forDuration").stringValue()).isEqualTo("PT0S");
		assertThat(this.reader.get("/api/alert-rules/" + id).json().get("threshold").doubleValue()).isEqualTo(35);
		assertThat(this.reader.get("/api/alert-rules?size=1").json().get("items").size()).isEqualTo(1);

		assertField(this.operator.patch("/api/alert-rules/" + id, "{\"clearThreshold\":36}"), 422, "clearThreshold");
		assertField(this.operator.post("/api/alert-rules", rule("ABOVE", 30, 31)), 422, "clearThreshold");
		assertField(this.operator.post("/api/alert-rules", rule("BELOW", 30, 29)), 422, "clearThreshold");
		assertField(this.operator.post("/api/alert-rules", rule("SIDEWAYS", 30, 29)), 400, "condition");
		assertField(this.operator.post("/api/alert-rules",
				"{\"name\":\"x\",\"condition\":\"ABOVE\",\"threshold\":1,\"severity\":\"MAJOR\"}"), 422, "scope");
		assertField(this.operator.post("/api/alert-rules", """
				{"name":"x","scope":{"sensorId":"%s"},"condition":"ABOVE","threshold":1,"severity":"MAJOR"}"""
			.formatted(UUID.randomUUID())), 422, "scope.sensorId");
		assertField(this.operator.patch("/api/alert-rules/" + id, "{\"colour\":\"red\"}"), 400, "colour");
		assertThat(this.reader.post("/api/alert-rules", rule("ABOVE", 30, 28)).status()).isEqualTo(403);

		assertThat(this.operator.delete("/api/alert-rules/" + id).status()).isEqualTo(204);
		assertThat(this.reader.get("/api/alert-rules/" + id).status()).isEqualTo(404);
	}

	@Test
	void retriesAWebhookThatAnswers500TwiceAndDeliversItSignedOnce200() throws Exception {
		try (TestReceiver receiver = new TestReceiver(2)) {
			Response created = this.admin.post("/api/notification-channels", """
					{"name":"ops-webhook-%s","type":"WEBHOOK","url":"%s","secret":"s3cret","minSeverity":"CRITICAL"}"""
				.formatted(this.site, receiver.url("/hooks/alerts")));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			String channel = created.json().get("id").stringValue();
			assertThat(created.json().has("secret")).isFalse();
			assertThat(this.admin.get("/api/notification-channels/" + channel).json().get("hasSecret").booleanValue())
				.isTrue();
			assertThat(this.operator.get("/api/notification-channels").status()).isEqualTo(403);
			try {
				String sensor = register("TEMPERATURE", this.site);
				createRule(sensorScope(sensor), "ABOVE", 40.0, null, null, "CRITICAL");
				record(sensor, start(), 45);
				String alertId = thresholdAlerts(sensor).get(0).get("id").stringValue();

				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					JsonNode delivery = this.admin.get("/api/notification-channels/" + channel + "/deliveries")
						.json()
						.get("items")
						.get(0);
					assertThat(delivery.get("status").stringValue()).isEqualTo("DELIVERED");
					assertThat(delivery.get("attempts").intValue()).isEqualTo(3);
					assertThat(delivery.get("alertId").stringValue()).isEqualTo(alertId);
					assertThat(delivery.get("event").stringValue()).isEqualTo("OPENED");
				});
				List<TestReceiver.Received> requests = receiver.received();
				assertThat(requests).hasSize(3);
				assertThat(requests).extracting(r -> r.header("X-Delivery-Id")).containsOnly(requests.get(0).header("X-Delivery-Id"));
				TestReceiver.Received last = requests.get(2);
				assertThat(last.header("X-Signature-256"))
					.isEqualTo("sha256=" + NotificationSenders.hmacSha256("s3cret", last.body()));
				JsonNode body = ApiClient.JSON.readTree(last.body());
				assertThat(body.get("event").stringValue()).isEqualTo("OPENED");
				assertThat(body.get("alert").get("id").stringValue()).isEqualTo(alertId);
				assertThat(body.get("alert").get("lastValue").doubleValue()).isEqualTo(45);
			}
			finally {
				this.admin.delete("/api/notification-channels/" + channel);
			}
		}
	}

	@Test
	void postsSlackIncomingWebhookMessagesOnOpenAcknowledgeAndResolve() throws Exception {
		try (TestReceiver receiver = new TestReceiver(0)) {
			Response created = this.admin.post("/api/notification-channels", """
					{"name":"slack-%s","type":"SLACK","url":"%s","minSeverity":"CRITICAL"}"""
				.formatted(this.site, receiver.url("/services/T000/B000/XXXX")));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			String channel = created.json().get("id").stringValue();
			assertThat(created.json().get("url").stringValue()).doesNotContain("XXXX");
			try {
				String sensor = register("CO2", this.site);
				createRule(sensorScope(sensor), "ABOVE", 2000.0, null, null, "CRITICAL");
				Instant t = start();
				record(sensor, t, 2500);
				String alertId = thresholdAlerts(sensor).get(0).get("id").stringValue();
				this.operator.post("/api/alerts/" + alertId + "/acknowledge", "{\"comment\":\"on it\"}");
				record(sensor, t.plusSeconds(1), 1500);

				await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 3);
				List<JsonNode> messages = receiver.received()
					.stream()
					.map(request -> ApiClient.JSON.readTree(request.body()))
					.toList();
				for (JsonNode message : messages) {
					assertThat(message.get("text").isString()).isTrue();
					assertThat(message.get("blocks").isArray()).isTrue();
					assertThat(message.get("blocks").valueStream().map(block -> block.get("type").stringValue()))
						.containsExactly("header", "section", "context");
					assertThat(message.get("blocks").get(1).get("text").get("type").stringValue()).isEqualTo("mrkdwn");
				}
				assertThat(messages.get(0).get("text").stringValue()).contains("[CRITICAL]").contains("opened")
					.contains(sensor);
				assertThat(messages.get(1).get("text").stringValue()).contains("acknowledged");
				assertThat(messages.get(1).get("blocks").get(1).get("text").get("text").stringValue()).contains("on it");
				assertThat(messages.get(2).get("text").stringValue()).contains("resolved");
			}
			finally {
				this.admin.delete("/api/notification-channels/" + channel);
			}
		}
	}

	@Test
	void emailsAlertChangesThroughTheSmtpServer() throws Exception {
		Response created = this.admin.post("/api/notification-channels", """
				{"name":"mail-%s","type":"EMAIL","recipients":["ops@example.com","oncall@example.com"],
				 "minSeverity":"CRITICAL"}""".formatted(this.site));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String channel = created.json().get("id").stringValue();
		try {
			String sensor = register("HUMIDITY", this.site);
			createRule(sensorScope(sensor), "ABOVE", 90.0, null, null, "CRITICAL");
			record(sensor, start(), 95);

			await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length >= 2);
			MimeMessage message = smtp.getReceivedMessages()[0];
			assertThat(message.getSubject()).contains("[CRITICAL]").contains("opened").contains(sensor);
			assertThat(message.getFrom()[0].toString()).isEqualTo("iot-alerts@localhost");
			assertThat(((String) message.getContent())).contains("last value 95.0");
		}
		finally {
			this.admin.delete("/api/notification-channels/" + channel);
		}
	}

	@Test
	void streamsAnAlertOpeningAsAServerSentEvent() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		List<String> lines = new CopyOnWriteArrayList<>();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/alerts/stream"))
			.header("Authorization", "Bearer " + this.readerToken)
			.header("Accept", "text/event-stream")
			.build();
		CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response = http.sendAsync(request,
				HttpResponse.BodyHandlers.ofLines());
		HttpResponse<java.util.stream.Stream<String>> stream = response.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		Thread reader = new Thread(() -> stream.body().forEach(lines::add), "sse-test-reader");
		reader.setDaemon(true);
		reader.start();
		try {
			String sensor = register("NOISE", this.site);
			createRule(sensorScope(sensor), "ABOVE", 100.0, null, null, "WARNING");
			record(sensor, start(), 120);

			await().atMost(Duration.ofSeconds(15))
				.until(() -> lines.stream()
					.anyMatch(line -> line.startsWith("data:") && line.contains("\"OPENED\"") && line.contains(sensor)));
			assertThat(lines).contains("event:alert");
		}
		finally {
			reader.interrupt();
			response.cancel(true);
		}
	}

	@Test
	void exposesTheAlertMetricsToPrometheus() {
		String sensor = register("LIGHT", this.site);
		createRule(sensorScope(sensor), "ABOVE", 100.0, null, null, "MINOR");
		record(sensor, start(), 200, 10);
		this.metrics.refresh();

		Response scrape = this.admin.get("/actuator/prometheus");
		assertThat(scrape.status()).isEqualTo(200);
		assertThat(scrape.body()).contains("iot_alerts_open{severity=\"CRITICAL\"}",
				"iot_alerts_opened_total{severity=\"MINOR\",type=\"THRESHOLD\"}", "iot_alerts_resolved_total ",
				"iot_sensors_offline ", "iot_notifications_pending ", "iot_alerts_evaluation_lag_seconds_count ");
	}

	// helpers

	private Instant start() {
		return this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
	}

	private void record(String sensor, Instant start, double... values) {
		List<RecordedReading> readings = new ArrayList<>();
		for (int i = 0; i < values.length; i++) {
			readings.add(new RecordedReading(start.plusSeconds(i), values[i]));
		}
		this.transactions
			.executeWithoutResult(status -> this.events.publishEvent(new ReadingsRecorded(SensorId.of(sensor), readings)));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.sql("""
					select count(*) from event_publication
					where completion_date is null and event_type like '%ReadingsRecorded'""").query(Long.class).single() == 0);
	}

	private String register(String kind, String site) {
		return register(kind, site, "P1D");
	}

	private String register(String kind, String site, String offlineAfter) {
		Response created = this.operator.post("/api/sensors", """
				{"name":"%s","kind":"%s","site":"%s","offlineAfter":"%s"}"""
			.formatted("s-" + UUID.randomUUID(), kind, site, offlineAfter));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("id").stringValue();
	}

	private void awaitMonitored(String sensor) {
		await().until(() -> this.jdbc.sql("select count(*) from alert_sensor where sensor_id = :id")
			.param("id", UUID.fromString(sensor))
			.query(Long.class)
			.single() == 1);
	}

	private String createRule(String scope, String condition, double threshold, Double clearThreshold,
			String forDuration, String severity) {
		String json = """
				{"name":"rule-%s","scope":%s,"condition":"%s","threshold":%s%s%s,"severity":"%s"}""".formatted(
				UUID.randomUUID(), scope, condition, threshold,
				clearThreshold == null ? "" : ",\"clearThreshold\":" + clearThreshold,
				forDuration == null ? "" : ",\"forDuration\":\"" + forDuration + "\"", severity);
		Response created = this.operator.post("/api/alert-rules", json);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("id").stringValue();
	}

	private String rule(String condition, double threshold, double clearThreshold) {
		return """
				{"name":"x","scope":{"site":"%s"},"condition":"%s","threshold":%s,"clearThreshold":%s,"severity":"MAJOR"}"""
			.formatted(this.site, condition, threshold, clearThreshold);
	}

	private static String sensorScope(String sensor) {
		return "{\"sensorId\":\"" + sensor + "\"}";
	}

	private List<JsonNode> thresholdAlerts(String sensor) {
		return alerts(sensor, "THRESHOLD");
	}

	private List<JsonNode> alerts(String sensor, String type) {
		Response response = this.reader.get("/api/alerts?size=200&sensorId=" + sensor);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json()
			.get("items")
			.valueStream()
			.filter(alert -> alert.get("type").stringValue().equals(type))
			.toList();
	}


	static void assertField(Response response, int status, String field) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("errors").valueStream().map(error -> error.get("field").stringValue()))
			.as(response.toString())
			.contains(field);
	}

	private static GreenMail startSmtp() {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		greenMail.start();
		return greenMail;
	}

}
