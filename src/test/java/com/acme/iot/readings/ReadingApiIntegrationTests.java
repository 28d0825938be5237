package com.acme.iot.readings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.jdbc.core.JdbcTemplate;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;
import com.acme.iot.platform.maintenance.MaintenanceMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ReadingApiIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ReadingRetention retention;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MaintenanceMode maintenance;

	@Autowired
	ApplicationEventMulticaster multicaster;

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

	@Test
	void ingestsASingleReadingAnArrayAndAGatewayBatch() {
		Sensor sensor = register("TEMPERATURE");
		ApiClient device = this.admin.as(sensor.deviceToken());

		Response single = device.post(readingsOf(sensor), "{\"time\":\"2026-11-20T10:00:00Z\",\"value\":21.5}");
		assertThat(single.status()).as(single.toString()).isEqualTo(200);
		assertThat(single.json().get("accepted").intValue()).isEqualTo(1);
		assertThat(single.json().get("duplicates").intValue()).isZero();

		Response array = device.post(readingsOf(sensor), """
				[{"time":"2026-11-20T10:01:00Z","value":21.6},{"time":"2026-11-20T10:02:00+01:00","value":21.7}]""");
		assertThat(array.json().get("accepted").intValue()).as(array.toString()).isEqualTo(2);

		Response withoutTime = this.operator.post(readingsOf(sensor), "{\"value\":19}");
		assertThat(withoutTime.json().get("accepted").intValue()).as(withoutTime.toString()).isEqualTo(1);

		Sensor other = register("HUMIDITY");
		Response gateway = this.operator.post("/api/readings", """
				[{"sensorId":"%s","time":"2026-11-20T11:00:00Z","value":22},
				 {"sensorId":"%s","time":"2026-11-20T11:00:00Z","value":55.5},
				 {"sensorId":"%s","time":"2026-11-20T11:05:00Z","value":56}]""".formatted(sensor.id(), other.id(),
				other.id()));
		assertThat(gateway.status()).as(gateway.toString()).isEqualTo(200);
		assertThat(gateway.json().get("accepted").intValue()).isEqualTo(3);

		JsonNode history = this.reader.get(readingsOf(sensor) + "?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&order=asc")
			.json();
		assertThat(times(history)).containsExactly("2026-11-20T09:02:00Z", "2026-11-20T10:00:00Z",
				"2026-11-20T10:01:00Z", "2026-11-20T11:00:00Z");
		assertThat(history.get("items").get(1).get("value").doubleValue()).isEqualTo(21.5);
		assertThat(history.get("next").isNull()).isTrue();
		assertThat(this.reader.get(readingsOf(other) + "?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")
			.json()
			.get("items")
			.size()).isEqualTo(2);
		assertThat(this.reader.get(readingsOf(sensor)).json().get("items").size()).as("the last 24 hours by default")
			.isEqualTo(1);
	}

	@Test
	void countsDuplicatesAndNeverStoresThemTwice() {
		Sensor sensor = register("CO2");
		String batch = """
				[{"time":"2026-11-21T08:00:00Z","value":400},{"time":"2026-11-21T08:01:00Z","value":410},
				 {"time":"2026-11-21T08:01:00.000Z","value":999}]""";
		Response first = this.operator.post(readingsOf(sensor), batch);
		assertThat(first.json().get("accepted").intValue()).as(first.toString()).isEqualTo(2);
		assertThat(first.json().get("duplicates").intValue()).isEqualTo(1);

		Response retried = this.operator.post(readingsOf(sensor), batch);
		assertThat(retried.json().get("accepted").intValue()).isZero();
		assertThat(retried.json().get("duplicates").intValue()).isEqualTo(3);

		JsonNode history = this.reader.get(readingsOf(sensor) + "?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z")
			.json();
		assertThat(history.get("items").size()).isEqualTo(2);
		assertThat(history.get("items").get(0).get("value").doubleValue()).as("the first stored value stays")
			.isEqualTo(410);
	}

	@Test
	void publishesOneReadingsRecordedPerSensorWithOnlyTheNewReadings() {
		Sensor a = register("TEMPERATURE");
		Sensor b = register("TEMPERATURE");
		post(a, "2026-11-21T07:00:00Z", 1);
		List<ReadingsRecorded> recorded = new CopyOnWriteArrayList<>();
		// Added to the running context rather than declared, so that this class shares the context of the others.
		ApplicationListener<ApplicationEvent> listener = event -> {
			if (event instanceof PayloadApplicationEvent<?> payload
					&& payload.getPayload() instanceof ReadingsRecorded readings) {
				recorded.add(readings);
			}
		};
		this.multicaster.addApplicationListener(listener);
		try {
			Response batch = this.operator.post("/api/readings", """
					[{"sensorId":"%1$s","time":"2026-11-21T07:02:00Z","value":3},
					 {"sensorId":"%2$s","time":"2026-11-21T07:00:00Z","value":10},
					 {"sensorId":"%1$s","time":"2026-11-21T07:00:00Z","value":1},
					 {"sensorId":"%1$s","time":"2026-11-21T07:01:00Z","value":2}]""".formatted(a.id(), b.id()));
			assertThat(batch.json().get("accepted").intValue()).as(batch.toString()).isEqualTo(3);
			assertProblem(this.operator.post("/api/readings",
					"[{\"sensorId\":\"" + a.id() + "\",\"time\":\"2026-11-21T07:05:00Z\",\"value\":999}]"), 422);
		}
		finally {
			this.multicaster.removeApplicationListener(listener);
		}

		assertThat(recorded).hasSize(2);
		ReadingsRecorded ofA = recorded.stream()
			.filter(event -> event.sensorId().toString().equals(a.id()))
			.findFirst()
			.orElseThrow();
		assertThat(ofA.readings()).as("new readings only, by measurement time")
			.containsExactly(new RecordedReading(Instant.parse("2026-11-21T07:01:00Z"), 2),
					new RecordedReading(Instant.parse("2026-11-21T07:02:00Z"), 3));
		assertThat(recorded).anySatisfy(event -> {
			assertThat(event.sensorId().toString()).isEqualTo(b.id());
			assertThat(event.readings()).containsExactly(new RecordedReading(Instant.parse("2026-11-21T07:00:00Z"), 10));
		});
	}

	@Test
	void rejectsTheWholeBatchNamingTheIndexOfEveryInvalidItem() {
		Sensor sensor = register("HUMIDITY");
		Response rejected = this.operator.post("/api/readings", """
				[{"sensorId":"%s","time":"2026-11-21T09:00:00Z","value":50},
				 {"sensorId":"%s","time":"yesterday","value":50},
				 {"sensorId":"%s","time":"2026-11-21T09:02:00Z","value":50},
				 {"sensorId":"%s","time":"2026-11-21T09:03:00Z","value":"high"},
				 {"sensorId":"%s","time":"2026-11-21T09:04:00Z"}]""".formatted(sensor.id(), sensor.id(), UUID.randomUUID(),
				sensor.id(), sensor.id()));

		assertProblem(rejected, 422);
		assertThat(errors(rejected)).containsExactly("1:time", "2:sensorId", "3:value", "4:value");
		assertThat(this.reader.get(readingsOf(sensor) + "?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z")
			.json()
			.get("items")
			.size()).as("nothing of a rejected batch is stored").isZero();
	}

	@Test
	void rejectsFutureNotANumberAndImplausibleValues() {
		Sensor sensor = register("HUMIDITY");
		String future = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
		String nearFuture = Instant.now().plus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
		Response rejected = this.operator.post(readingsOf(sensor), """
				[{"time":"%s","value":50},{"time":"2026-11-21T10:00:00Z","value":NaN},
				 {"time":"2026-11-21T10:01:00Z","value":"Infinity"},{"time":"2026-11-21T10:02:00Z","value":100.5},
				 {"time":"2026-11-21T10:03:00Z","value":-0.1},{"time":"%s","value":100}]""".formatted(future, nearFuture));

		assertProblem(rejected, 422);
		assertThat(errors(rejected)).containsExactly("0:time", "1:value", "2:value", "3:value", "4:value");

		Response single = this.operator.post(readingsOf(sensor), "{\"time\":\"" + future + "\",\"value\":1}");
		assertProblem(single, 422);
		assertThat(errors(single)).containsExactly("0:time");
		assertThat(this.operator.post(readingsOf(sensor), "{\"time\":\"" + nearFuture + "\",\"value\":100}").status())
			.as("a device clock a little ahead is tolerated")
			.isEqualTo(200);
		assertProblem(this.operator.post(readingsOf(sensor), "{\"value\": "), 400);
		assertProblem(this.operator.post(readingsOf(sensor), "42"), 400);
	}

	@Test
	void rejectsReadingsOfUnknownAndDecommissionedSensors() {
		assertProblem(this.operator.post("/api/sensors/" + UUID.randomUUID() + "/readings", "{\"value\":1}"), 404);
		Sensor sensor = register("NOISE");
		assertThat(this.operator.post(readingsOf(sensor), "{\"time\":\"2026-11-21T10:00:00Z\",\"value\":40}").status())
			.isEqualTo(200);

		assertThat(this.operator.delete("/api/sensors/" + sensor.id()).status()).isEqualTo(204);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Response rejected = this.operator.post("/api/readings",
					"[{\"sensorId\":\"" + sensor.id() + "\",\"time\":\"2026-11-21T10:01:00Z\",\"value\":41}]");
			assertProblem(rejected, 422);
			assertThat(errors(rejected)).containsExactly("0:sensorId");
		});
		assertThat(this.reader.get(readingsOf(sensor) + "/latest").json().get("value").doubleValue())
			.as("decommissioning keeps the history")
			.isEqualTo(40);
	}

	@Test
	void refusesTheDeviceTokenOfOneSensorForAnother() {
		Sensor a = register("LIGHT");
		Sensor b = register("LIGHT");
		ApiClient deviceA = this.admin.as(a.deviceToken());

		assertProblem(deviceA.post(readingsOf(b), "{\"time\":\"2026-11-21T10:00:00Z\",\"value\":300}"), 403);
		assertProblem(deviceA.post("/api/readings",
				"[{\"sensorId\":\"" + a.id() + "\",\"time\":\"2026-11-21T10:00:00Z\",\"value\":300}]"), 403);
		assertProblem(deviceA.get(readingsOf(a)), 403);
		assertProblem(this.reader.post(readingsOf(a), "{\"value\":300}"), 403);
		assertThat(deviceA.post(readingsOf(a), "{\"time\":\"2026-11-21T10:00:00Z\",\"value\":300}").status())
			.isEqualTo(200);
		assertThat(this.reader.get(readingsOf(b) + "/latest").status()).isEqualTo(404);
	}

	@Test
	void refusesGatewayBatchesOfMoreThanTenThousandReadings() {
		Sensor sensor = register("PRESSURE");
		Instant start = Instant.parse("2026-11-01T00:00:00Z");
		String tooMany = IntStream.range(0, 10_001)
			.mapToObj(i -> "{\"sensorId\":\"" + sensor.id() + "\",\"time\":\"" + start.plusSeconds(i) + "\",\"value\":1000}")
			.collect(Collectors.joining(",", "[", "]"));
		assertProblem(this.operator.post("/api/readings", tooMany), 413);

		String justEnough = IntStream.range(0, 10_000)
			.mapToObj(i -> "{\"sensorId\":\"" + sensor.id() + "\",\"time\":\"" + start.plusSeconds(i) + "\",\"value\":1000}")
			.collect(Collectors.joining(",", "[", "]"));
		Response accepted = this.operator.post("/api/readings", justEnough);
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
		assertThat(accepted.json().get("accepted").intValue()).isEqualTo(10_000);
	}

	@Test
	void placesALateReadingInOrderAndServesLatestByMeasurementTime() {
		Sensor sensor = register("TEMPERATURE");
		post(sensor, "2026-11-22T10:00:00Z", 20);
		post(sensor, "2026-11-22T12:00:00Z", 22);
		post(sensor, "2026-11-22T11:00:00Z", 21);

		JsonNode latest = this.reader.get(readingsOf(sensor) + "/latest").json();
		assertThat(latest.get("time").stringValue()).isEqualTo("2026-11-22T12:00:00Z");
		assertThat(latest.get("value").doubleValue()).isEqualTo(22);

		JsonNode history = this.reader.get(readingsOf(sensor) + "?from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z")
			.json();
		assertThat(times(history)).containsExactly("2026-11-22T12:00:00Z", "2026-11-22T11:00:00Z",
				"2026-11-22T10:00:00Z");

		Sensor second = register("TEMPERATURE");
		post(second, "2026-11-22T09:00:00Z", 18);
		register("TEMPERATURE");
		Sensor humidity = register("HUMIDITY");
		post(humidity, "2026-11-22T13:00:00Z", 60);

		JsonNode home = this.reader.get("/api/readings/latest?site=" + this.site + "&kind=TEMPERATURE").json();
		assertThat(home.get("items").valueStream().map(item -> item.get("sensorId").stringValue() + "@"
				+ item.get("time").stringValue() + "=" + item.get("value").doubleValue()))
			.containsExactlyInAnyOrder(sensor.id() + "@2026-11-22T12:00:00Z=22.0",
					second.id() + "@2026-11-22T09:00:00Z=18.0");
		assertThat(this.reader.get("/api/readings/latest?site=" + this.site).json().get("items").size()).isEqualTo(3);
	}

	@Test
	void pagesThroughHistoryWithACursorWithoutGapOrRepeat() {
		Sensor sensor = register("VOC");
		Instant start = Instant.parse("2026-11-23T00:00:00Z");
		String batch = IntStream.range(0, 25)
			.mapToObj(i -> "{\"time\":\"" + start.plusSeconds(60L * i) + "\",\"value\":" + i + "}")
			.collect(Collectors.joining(",", "[", "]"));
		assertThat(this.operator.post(readingsOf(sensor), batch).json().get("accepted").intValue()).isEqualTo(25);

		for (String order : List.of("asc", "desc")) {
			List<Double> seen = new ArrayList<>();
			String cursor = null;
			int pages = 0;
			do {
				JsonNode page = this.reader.get(readingsOf(sensor) + "?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z"
						+ "&limit=10&order=" + order + (cursor == null ? "" : "&cursor=" + cursor)).json();
				page.get("items").forEach(item -> seen.add(item.get("value").doubleValue()));
				cursor = page.get("next").isNull() ? null : page.get("next").stringValue();
				pages++;
			}
			while (cursor != null);
			List<Double> expected = IntStream.range(0, 25).mapToObj(i -> (double) i).collect(Collectors.toList());
			if (order.equals("desc")) {
				java.util.Collections.reverse(expected);
			}
			assertThat(seen).as(order).containsExactlyElementsOf(expected);
			assertThat(pages).isEqualTo(3);
		}
		assertField(this.reader.get(readingsOf(sensor) + "?cursor=garbage"), 400, "cursor");
		assertField(this.reader.get(readingsOf(sensor) + "?limit=10001"), 400, "limit");
		assertField(this.reader.get(readingsOf(sensor) + "?order=sideways"), 400, "order");
	}

	@Test
	void bucketsDaysInTheCallersZoneAcrossBothDaylightSavingChanges() {
		Sensor sensor = register("TEMPERATURE");
		// One reading per UTC hour from Saturday to Tuesday around each change (Paris: 29 March and 25 October 2026).
		ingestHourly(sensor, Instant.parse("2026-03-27T22:00:00Z"), Instant.parse("2026-03-30T22:00:00Z"));
		ingestHourly(sensor, Instant.parse("2026-10-23T22:00:00Z"), Instant.parse("2026-10-26T23:00:00Z"));

		JsonNode march = this.reader.get(readingsOf(sensor)
				+ "/aggregate?from=2026-03-27T23:00:00Z&to=2026-03-30T22:00:00Z&interval=P1D&zone=Europe/Paris").json();
		assertThat(march.get("interval").stringValue()).isEqualTo("P1D");
		assertThat(march.get("zone").stringValue()).isEqualTo("Europe/Paris");
		assertThat(buckets(march)).containsExactly("2026-03-28T00:00:00+01:00=24", "2026-03-29T00:00:00+01:00=23",
				"2026-03-30T00:00:00+02:00=24");

		JsonNode october = this.reader.get(readingsOf(sensor)
				+ "/aggregate?from=2026-10-23T22:00:00Z&to=2026-10-26T23:00:00Z&interval=P1D&zone=Europe/Paris").json();
		assertThat(buckets(october)).containsExactly("2026-10-24T00:00:00+02:00=24", "2026-10-25T00:00:00+02:00=25",
				"2026-10-26T00:00:00+01:00=24");

		JsonNode utc = this.reader.get(readingsOf(sensor)
				+ "/aggregate?from=2026-10-24T00:00:00Z&to=2026-10-26T00:00:00Z&interval=P1D&zone=UTC&fn=count,max").json();
		assertThat(buckets(utc)).containsExactly("2026-10-24T00:00:00Z=24", "2026-10-25T00:00:00Z=24");
		assertThat(utc.get("buckets").get(0).has("avg")).as("only the requested functions").isFalse();
		assertThat(utc.get("buckets").get(0).has("max")).isTrue();

		JsonNode hours = this.reader.get(readingsOf(sensor)
				+ "/aggregate?from=2026-10-25T00:00:00Z&to=2026-10-25T03:00:00Z&interval=PT1H&zone=Europe/Paris").json();
		assertThat(buckets(hours)).containsExactly("2026-10-25T02:00:00+02:00=1", "2026-10-25T02:00:00+01:00=1",
				"2026-10-25T03:00:00+01:00=1");
		JsonNode bucket = hours.get("buckets").get(0);
		assertThat(bucket.get("min").doubleValue()).isEqualTo(bucket.get("avg").doubleValue());
		assertThat(bucket.get("sum").doubleValue()).isEqualTo(bucket.get("max").doubleValue());

		JsonNode weeks = this.reader.get(readingsOf(sensor)
				+ "/aggregate?from=2026-03-27T23:00:00Z&to=2026-03-30T22:00:00Z&interval=P1W&zone=Europe/Paris").json();
		assertThat(buckets(weeks)).containsExactly("2026-03-23T00:00:00+01:00=47", "2026-03-30T00:00:00+02:00=24");
		JsonNode months = this.reader.get(readingsOf(sensor)
				+ "/aggregate?from=2026-03-01T00:00:00Z&to=2026-11-01T00:00:00Z&interval=P1M&zone=Europe/Paris").json();
		assertThat(buckets(months)).containsExactly("2026-03-01T00:00:00+01:00=72", "2026-10-01T00:00:00+02:00=73");

		assertField(this.reader.get(readingsOf(sensor)
				+ "/aggregate?from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z&interval=PT5M"), 400, "interval");
		assertField(this.reader.get(readingsOf(sensor) + "/aggregate?interval=PT7M"), 400, "interval");
		assertField(this.reader.get(readingsOf(sensor) + "/aggregate?zone=Mars/Olympus"), 400, "zone");
		assertField(this.reader.get(readingsOf(sensor) + "/aggregate?fn=median"), 400, "fn");
	}

	@Test
	void streamsCommittedReadingsAndResumesFromTheLastEventId() throws Exception {
		Sensor sensor = register("TEMPERATURE");
		HttpClient http = HttpClient.newHttpClient();
		Stream<String> firstStream = openStream(http, sensor, null);
		Iterator<String> lines = firstStream.iterator();
		post(sensor, "2026-11-23T10:00:00Z", 20.5);

		List<String> first = nextEvent(lines);
		assertThat(first).contains("event:reading");
		assertThat(first.stream().filter(line -> line.startsWith("data:")).findFirst().orElseThrow())
			.contains("\"time\":\"2026-11-23T10:00:00Z\"")
			.contains("\"value\":20.5");
		String lastEventId = first.stream()
			.filter(line -> line.startsWith("id:"))
			.findFirst()
			.orElseThrow()
			.substring(3)
			.trim();
		firstStream.close();

		post(sensor, "2026-11-23T09:00:00Z", 19.5);
		post(sensor, "2026-11-23T11:00:00Z", 21.5);
		Stream<String> resumedStream = openStream(http, sensor, lastEventId);
		Iterator<String> resumed = resumedStream.iterator();
		List<String> data = new ArrayList<>();
		data.addAll(nextEvent(resumed));
		data.addAll(nextEvent(resumed));
		assertThat(data.stream().filter(line -> line.startsWith("data:")))
			.as("the readings committed while disconnected, none twice")
			.hasSize(2)
			.anySatisfy(line -> assertThat(line).contains("19.5"))
			.anySatisfy(line -> assertThat(line).contains("21.5"));
		resumedStream.close();
	}

	@Test
	void retentionDropsExpiredPartitionsAndDeletesTheExpiredEdge() {
		Sensor sensor = register("TEMPERATURE");
		Instant now = Instant.now();
		Instant old = now.minus(Duration.ofDays(395));
		Instant edge = now.minus(Duration.ofDays(380));
		post(sensor, old.truncatedTo(ChronoUnit.SECONDS).toString(), 10);
		post(sensor, edge.truncatedTo(ChronoUnit.SECONDS).toString(), 11);
		post(sensor, now.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString(), 12);
		String oldPartition = "reading_p" + old.toString().substring(0, 7).replace("-", "");
		assertThat(partitions()).contains(oldPartition);

		// Forty days later, the oldest reading's whole month has expired and the edge reading is past 400 days.
		ReadingRetention.Purged purged = this.retention.purge(now.plus(Duration.ofDays(40)));

		assertThat(purged.droppedPartitions()).contains(oldPartition);
		assertThat(partitions()).doesNotContain(oldPartition);
		assertThat(purged.deletedReadings()).isGreaterThanOrEqualTo(1);
		JsonNode history = this.reader.get(readingsOf(sensor) + "?from=" + now.minus(Duration.ofDays(399)) + "&to="
				+ now.plusSeconds(60) + "&limit=10000").json();
		assertThat(history.get("items").valueStream().map(item -> item.get("value").doubleValue()))
			.containsExactly(12.0);
		assertProblem(this.operator.post(readingsOf(sensor),
				"{\"time\":\"" + now.minus(Duration.ofDays(401)).truncatedTo(ChronoUnit.SECONDS) + "\",\"value\":1}"), 422);
	}

	@Test
	void skipsPartitionUpkeepWhileTheServiceIsInMaintenance() {
		YearMonth last = YearMonth.now(ZoneOffset.UTC).plusMonths(3);
		String partition = "reading_p" + last.toString().replace("-", "");
		assertThat(partitions()).as("created ahead at start-up").contains(partition);
		this.jdbc.execute("drop table " + partition);

		this.maintenance.update(new MaintenanceMode.State("restore", Instant.now()));
		try {
			this.retention.createPartitionsAhead();
			assertThat(partitions()).doesNotContain(partition);
		}
		finally {
			this.maintenance.update(null);
		}
		this.retention.createPartitionsAhead();
		assertThat(partitions()).contains(partition);
	}

	@Test
	void letsOnlyAnAdminHardDeleteHistory() {
		Sensor sensor = register("PM10");
		post(sensor, "2026-11-10T10:00:00Z", 5);
		post(sensor, "2026-11-11T10:00:00Z", 6);
		post(sensor, "2026-11-12T10:00:00Z", 7);

		assertProblem(this.operator.delete(readingsOf(sensor) + "?before=2026-11-12T00:00:00Z"), 403);
		Response deleted = this.admin.delete(readingsOf(sensor) + "?before=2026-11-12T00:00:00Z");
		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
		assertThat(deleted.json().get("deleted").intValue()).isEqualTo(2);
		assertThat(times(this.reader.get(readingsOf(sensor) + "?from=2026-11-01T00:00:00Z&to=2026-11-20T00:00:00Z")
			.json())).containsExactly("2026-11-12T10:00:00Z");
		assertField(this.admin.delete(readingsOf(sensor)), 400, "before");
	}

	@Test
	void exposesIngestionMetrics() {
		Sensor sensor = register("TEMPERATURE");
		post(sensor, "2026-11-23T10:00:00Z", 20);
		this.operator.post(readingsOf(sensor), "{\"time\":\"2026-11-23T10:00:00Z\",\"value\":20}");
		this.operator.post(readingsOf(sensor), "{\"time\":\"nope\",\"value\":20}");

		String metrics = this.admin.get("/actuator/prometheus").body();
		assertThat(metrics).contains("iot_readings_ingested_total", "iot_readings_duplicates_total",
				"iot_readings_rejected_total", "iot_readings_ingest_batch_seconds_count",
				"iot_readings_last_ingest_timestamp_seconds");
	}

	private void ingestHourly(Sensor sensor, Instant from, Instant to) {
		List<String> items = new ArrayList<>();
		for (Instant time = from; time.isBefore(to); time = time.plus(Duration.ofHours(1))) {
			items.add("{\"time\":\"" + time + "\",\"value\":" + (items.size() % 10) + "}");
		}
		Response response = this.operator.post(readingsOf(sensor), "[" + String.join(",", items) + "]");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	private Stream<String> openStream(HttpClient http, Sensor sensor, String lastEventId) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + readingsOf(sensor) + "/stream"))
			.header("Authorization", "Bearer " + this.readerToken)
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<Stream<String>> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
			.get(10, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("text/event-stream"));
		return response.body();
	}

	/** The lines of the next event carrying data, up to the blank line ending it. */
	private static List<String> nextEvent(Iterator<String> lines) throws Exception {
		return CompletableFuture.supplyAsync(() -> {
			List<String> event = new ArrayList<>();
			while (lines.hasNext()) {
				String line = lines.next();
				if (line.isEmpty() && event.stream().anyMatch(field -> field.startsWith("data:"))) {
					return event;
				}
				if (line.isEmpty()) {
					event.clear();
				}
				if (!line.isEmpty() && !line.startsWith(":")) {
					event.add(line.replace(": ", ":").replaceFirst("^(\\w+):\\s*", "$1:"));
				}
			}
			return event;
		}).get(15, TimeUnit.SECONDS);
	}

	private List<String> partitions() {
		return this.jdbc.queryForList("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
				+ " where i.inhparent = 'reading'::regclass", String.class);
	}

	private void post(Sensor sensor, String time, double value) {
		Response response = this.operator.post(readingsOf(sensor), "{\"time\":\"" + time + "\",\"value\":" + value + "}");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	private static String readingsOf(Sensor sensor) {
		return "/api/sensors/" + sensor.id() + "/readings";
	}

	private record Sensor(String id, String deviceToken) {
	}

	private Sensor register(String kind) {
		Response created = this.operator.post("/api/sensors", "{\"name\":\"probe-" + UUID.randomUUID() + "\",\"kind\":\""
				+ kind + "\",\"site\":\"" + this.site + "\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return new Sensor(created.json().get("id").stringValue(), created.json().get("deviceToken").stringValue());
	}


	private static List<String> times(JsonNode page) {
		return page.get("items").valueStream().map(item -> item.get("time").stringValue()).toList();
	}

	private static List<String> buckets(JsonNode aggregate) {
		return aggregate.get("buckets")
			.valueStream()
			.map(bucket -> bucket.get("start").stringValue() + "=" + bucket.get("count").longValue())
			.toList();
	}

	private static List<String> errors(Response response) {
		return response.json()
			.get("errors")
			.valueStream()
			.map(error -> error.get("index").intValue() + ":" + error.get("field").stringValue())
			.toList();
	}

	static void assertProblem(Response response, int status) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
	}

	static void assertField(Response response, int status, String field) {
		assertProblem(response, status);
		assertThat(response.json().get("errors").valueStream().map(error -> error.get("field").stringValue()))
			.as(response.toString())
			.contains(field);
	}

}
