package com.acme.iot;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import com.acme.iot.client.api.AlertRulesApi;
import com.acme.iot.client.api.AlertsApi;
import com.acme.iot.client.api.ReadingsApi;
import com.acme.iot.client.api.SensorsApi;
import com.acme.iot.client.model.AggregateView;
import com.acme.iot.client.model.AlertView;
import com.acme.iot.client.model.BucketView;
import com.acme.iot.client.model.CommentRequest;
import com.acme.iot.client.model.GatewayReading;
import com.acme.iot.client.model.HistoryView;
import com.acme.iot.client.model.LatestView;
import com.acme.iot.client.model.PageResponseAlertView;
import com.acme.iot.client.model.PageResponseSensorView;
import com.acme.iot.client.model.ReadingView;
import com.acme.iot.client.model.RuleDraft;
import com.acme.iot.client.model.Scope;
import com.acme.iot.client.model.SensorRequest;
import com.acme.iot.client.model.SensorView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mobile app's flow, through a Java client generated from the committed contract by openapi-generator (as
 * the mobile team generates theirs), every response also checked against the served document: the sensors of
 * a site, their latest readings, 24 hours of history page by page, a daily aggregate in the user's time zone,
 * the open alerts, and acknowledging one. Times derive from the tests' {@link TestClock}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class MobileAppClientIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Test
	void followsTheMobileAppFromSensorsToAnAcknowledgedAlert() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MINUTES);
		com.acme.iot.ApiClient admin = new com.acme.iot.ApiClient(this.port, "test-admin-token");
		com.acme.iot.client.ApiClient operator = client(admin, admin.issueToken("OPERATOR"));
		com.acme.iot.client.ApiClient app = client(admin, admin.issueToken("READER"));
		String site = "greenhouse-" + UUID.randomUUID();

		SensorsApi sensors = new SensorsApi(operator);
		SensorView temperature = sensors.registerSensor(
				new SensorRequest().name("Bench 1").kind(SensorRequest.KindEnum.TEMPERATURE).site(site).offlineAfter("PT6H"));
		SensorView humidity = sensors
			.registerSensor(new SensorRequest().name("Bench 1 RH").kind(SensorRequest.KindEnum.HUMIDITY).site(site)
				.offlineAfter("PT6H"));
		new AlertRulesApi(operator).createAlertRule(new RuleDraft().name("Too hot " + site)
			.scope(new Scope().sensorId(temperature.getId()))
			.condition(RuleDraft.ConditionEnum.ABOVE)
			.threshold(30.0)
			.severity(RuleDraft.SeverityEnum.MAJOR));
		// Every 10 minutes for the last 24 hours; the last three readings are too hot.
		List<GatewayReading> batch = new ArrayList<>();
		for (int i = 144; i >= 1; i--) {
			OffsetDateTime time = now.minus(Duration.ofMinutes(10L * i)).atOffset(ZoneOffset.UTC);
			batch.add(new GatewayReading().sensorId(temperature.getId()).time(time).value(i <= 3 ? 35.0 : 20.0 + i % 5));
			batch.add(new GatewayReading().sensorId(humidity.getId()).time(time).value(55.0));
		}
		assertThat(new ReadingsApi(operator).recordGatewayBatch(batch).getAccepted()).isEqualTo(288);

		PageResponseSensorView list = new SensorsApi(app).listSensors(site, null, null, 0, 20);
		assertThat(list.getItems()).extracting(SensorView::getName).containsExactly("Bench 1", "Bench 1 RH");
		assertThat(list.getItems().get(0).getLocation()).isNull();

		ReadingsApi readings = new ReadingsApi(app);
		LatestView latest = readings.listLatestReadings(site, null);
		assertThat(latest.getItems()).hasSize(2)
			.allSatisfy(item -> assertThat(item.getTime().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(10))));

		OffsetDateTime from = now.minus(Duration.ofHours(24)).atOffset(ZoneOffset.UTC);
		OffsetDateTime to = now.atOffset(ZoneOffset.UTC);
		List<ReadingView> history = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			HistoryView page = readings.listReadings(temperature.getId(), from, to, 50, cursor, "asc");
			history.addAll(page.getItems());
			cursor = page.getNext();
			pages++;
		}
		while (cursor != null);
		assertThat(pages).isEqualTo(3);
		assertThat(history).hasSize(144);
		Set<Instant> times = new HashSet<>();
		history.forEach(reading -> times.add(reading.getTime().toInstant()));
		assertThat(times).hasSize(144);
		assertThat(history.get(0).getTime().toInstant()).isEqualTo(now.minus(Duration.ofHours(24)));

		AggregateView daily = readings.aggregateReadings(temperature.getId(), from, to, "P1D", "Europe/Paris",
				List.of("max", "count"));
		assertThat(daily.getZone()).isEqualTo("Europe/Paris");
		// The wire says e.g. 2026-11-20T00:00:00+01:00 (the contract check asserts RFC 3339 with seconds); the
		// generated client's mapper hands it over in UTC.
		ZoneId paris = ZoneId.of("Europe/Paris");
		List<Instant> parisDays = history.stream()
			.map(reading -> reading.getTime().atZoneSameInstant(paris).toLocalDate().atStartOfDay(paris).toInstant())
			.distinct()
			.toList();
		assertThat(daily.getBuckets()).extracting(bucket -> bucket.getStart().toInstant())
			.containsExactlyElementsOf(parisDays);
		assertThat(daily.getBuckets().stream().mapToLong(BucketView::getCount).sum()).isEqualTo(144);
		assertThat(daily.getBuckets().get(daily.getBuckets().size() - 1).getMax()).isEqualTo(35.0);
		assertThat(daily.getBuckets().get(0).getAvg()).as("only the functions asked for").isNull();

		AlertsApi alerts = new AlertsApi(app);
		AlertView open = await().atMost(Duration.ofSeconds(60)).until(() -> alerts.listAlerts("OPEN", null, null, site, 0, 20),
				page -> page.getItems().size() == 1).getItems().get(0);
		assertThat(open.getSensorId()).isEqualTo(temperature.getId());
		assertThat(open.getAcknowledgedAt()).isNull();

		AlertView acknowledged = new AlertsApi(operator).acknowledgeAlert(open.getId(),
				new CommentRequest().comment("Opening the vents"));
		assertThat(acknowledged.getState()).isEqualTo(AlertView.StateEnum.ACKNOWLEDGED);
		assertThat(acknowledged.getAcknowledgedAt()).isNotNull();
		PageResponseAlertView stillOpen = alerts.listAlerts("OPEN", null, null, site, 0, 20);
		assertThat(stillOpen.getItems()).isEmpty();
	}

	/** A generated client for one caller, whose every response is also checked against the served contract. */
	private com.acme.iot.client.ApiClient client(com.acme.iot.ApiClient admin, String token) {
		JsonMapper mapper = com.acme.iot.client.ApiClient.createDefaultMapper(null);
		RestClient rest = com.acme.iot.client.ApiClient.buildRestClientBuilder(mapper)
			.requestInterceptor(new ContractCheckingInterceptor(admin.contract()))
			.build();
		com.acme.iot.client.ApiClient client = new com.acme.iot.client.ApiClient(rest, mapper,
				com.acme.iot.client.ApiClient.createDefaultDateFormat());
		client.setBasePath(admin.baseUrl());
		client.setBearerToken(token);
		return client;
	}

}
