package com.acme.iot.readings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
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
import com.acme.iot.TestClock;
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

	/** Every reading's time derives from it: the suite runs at any date ({@code -Diot.test.clock}). */
	@Autowired
	TestClock clock;

	@Autowired
	ReadingSettings settings;

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

		LocalDate day = this.clock.today().minusDays(4);
		Response single = device.post(readingsOf(sensor), "{\"time\":\"" + day + "T10:00:00Z\",\"value\":21.5}");
		assertThat(single.status()).as(single.toString()).isEqualTo(200);
		assertThat(single.json().get("accepted").intValue()).isEqualTo(1);
		assertThat(single.json().get("duplicates").intValue()).isZero();

		Response array = device.post(readingsOf(sensor), """
				[{"time":"%1$sT10:01:00Z","value":21.6},{"time":"%1$sT10:02:00+01:00","value":21.7}]""".formatted(day));
		assertThat(array.json().get("accepted").intValue()).as(array.toString()).isEqualTo(2);

		Response withoutTime = this.operator.post(readingsOf(sensor), "{\"value\":19}");
		assertThat(withoutTime.json().get("accepted").intValue()).as(withoutTime.toString()).isEqualTo(1);

		Sensor other = register("HUMIDITY");
		Response gateway = this.operator.post("/api/readings", """
				[{"sensorId":"%2$s","time":"%1$sT11:00:00Z","value":22},
				 {"sensorId":"%3$s","time":"%1$sT11:00:00Z","value":55.5},
				 {"sensorId":"%3$s","time":"%1$sT11:05:00Z","value":56}]""".formatted(day, sensor.id(), other.id()));
		assertThat(gateway.status()).as(gateway.toString()).isEqualTo(200);
		assertThat(gateway.json().get("accepted").intValue()).isEqualTo(3);

		JsonNode history = this.reader.get(readingsOf(sensor) + "?" + wholeDay(day) + "&order=asc").json();
		assertThat(times(history)).containsExactly(day + "T09:02:00Z", day + "T10:00:00Z", day + "T10:01:00Z",
				day + "T11:00:00Z");
		assertThat(history.get("items").get(1).get("value").doubleValue()).isEqualTo(21.5);
		assertThat(history.get("next").isNull()).isTrue();
		assertThat(this.reader.get(readingsOf(other) + "?" + wholeDay(day))
			.json()
			.get("items")
			.size()).isEqualTo(2);
		assertThat(this.reader.get(readingsOf(sensor)).json().get("items").size()).as("the last 24 hours by default")
			.isEqualTo(1);
	}

	@Test
	void countsDuplicatesAndNeverStoresThemTwice() {
		Sensor sensor = register("CO2");
		LocalDate day = this.clock.today().minusDays(3);
		String batch = """
				[{"time":"%1$sT08:00:00Z","value":400},{"time":"%1$sT08:01:00Z","value":410},
				 {"time":"%1$sT08:01:00.000Z","value":999}]""".formatted(day);
		Response first = this.operator.post(readingsOf(sensor), batch);
		assertThat(first.json().get("accepted").intValue()).as(first.toString()).isEqualTo(2);
		assertThat(first.json().get("duplicates").intValue()).isEqualTo(1);

		Response retried = this.operator.post(readingsOf(sensor), batch);
		assertThat(retried.json().get("accepted").intValue()).isZero();
		assertThat(retried.json().get("duplicates").intValue()).isEqualTo(3);

		JsonNode history = this.reader.get(readingsOf(sensor) + "?" + wholeDay(day)).json();
		assertThat(history.get("items").size()).isEqualTo(2);
		assertThat(history.get("items").get(0).get("value").doubleValue()).as("the first stored value stays")
			.isEqualTo(410);
	}

	@Test
	void publishesOneReadingsRecordedPerSensorWithOnlyTheNewReadings() {
		Sensor a = register("TEMPERATURE");
		Sensor b = register("TEMPERATURE");
		LocalDate day = this.clock.today().minusDays(3);
		post(a, day + "T07:00:00Z", 1);
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
					[{"sensorId":"%1$s","time":"%3$sT07:02:00Z","value":3},
					 {"sensorId":"%2$s","time":"%3$sT07:00:00Z","value":10},
					 {"sensorId":"%1$s","time":"%3$sT07:00:00Z","value":1},
					 {"sensorId":"%1$s","time":"%3$sT07:01:00Z","value":2}]""".formatted(a.id(), b.id(), day));
			assertThat(batch.json().get("accepted").intValue()).as(batch.toString()).isEqualTo(3);
			assertProblem(this.operator.post("/api/readings",
					"[{\"sensorId\":\"" + a.id() + "\",\"time\":\"" + day + "T07:05:00Z\",\"value\":999}]"), 422);
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
			.containsExactly(new RecordedReading(Instant.parse(day + "T07:01:00Z"), 2),
					new RecordedReading(Instant.parse(day + "T07:02:00Z"), 3));
		assertThat(recorded).anySatisfy(event -> {
			assertThat(event.sensorId().toString()).isEqualTo(b.id());
			assertThat(event.readings()).containsExactly(new RecordedReading(Instant.parse(day + "T07:00:00Z"), 10));
		});
	}

	@Test
	void rejectsTheWholeBatchNamingTheIndexOfEveryInvalidItem() {
		Sensor sensor = register("HUMIDITY");
		LocalDate day = this.clock.today().minusDays(3);
		Response rejected = this.operator.post("/api/readings", """
				[{"sensorId":"%1$s","time":"%3$sT09:00:00Z","value":50},
				 {"sensorId":"%1$s","time":"yesterday","value":50},
				 {"sensorId":"%2$s","time":"%3$sT09:02:00Z","value":50},
				 {"sensorId":"%1$s","time":"%3$sT09:03:00Z","value":"high"},
				 {"sensorId":"%1$s","time":"%3$sT09:04:00Z"}]""".formatted(sensor.id(), UUID.randomUUID(), day));

		assertProblem(rejected, 422);
		assertThat(errors(rejected)).containsExactly("1:time", "2:sensorId", "3:value", "4:value");
		assertThat(this.reader.get(readingsOf(sensor) + "?" + wholeDay(day)).json().get("items").size())
			.as("nothing of a rejected batch is stored")
			.isZero();
	}

	@Test
	void rejectsFutureNotANumberAndImplausibleValues() {
		Sensor sensor = register("HUMIDITY");
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		String future = now.plus(10, ChronoUnit.MINUTES).toString();
		String nearFuture = now.plus(2, ChronoUnit.MINUTES).toString();
		LocalDate day = this.clock.today().minusDays(3);
		Response rejected = this.operator.post(readingsOf(sensor), """
				[{"time":"%1$s","value":50},{"time":"%3$sT10:00:00Z","value":NaN},
				 {"time":"%3$sT10:01:00Z","value":"Infinity"},{"time":"%3$sT10:02:00Z","value":100.5},
				 {"time":"%3$sT10:03:00Z","value":-0.1},{"time":"%2$s","value":100}]""".formatted(future, nearFuture, day));

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
		LocalDate day = this.clock.today().minusDays(3);
		post(sensor, day + "T10:00:00Z", 40);

		assertThat(this.operator.delete("/api/sensors/" + sensor.id()).status()).isEqualTo(204);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Response rejected = this.operator.post("/api/readings",
					"[{\"sensorId\":\"" + sensor.id() + "\",\"time\":\"" + day + "T10:01:00Z\",\"value\":41}]");
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
		String time = this.clock.today().minusDays(3) + "T10:00:00Z";

		assertProblem(deviceA.post(readingsOf(b), "{\"time\":\"" + time + "\",\"value\":300}"), 403);
		assertProblem(deviceA.post("/api/readings",
				"[{\"sensorId\":\"" + a.id() + "\",\"time\":\"" + time + "\",\"value\":300}]"), 403);
		assertProblem(deviceA.get(readingsOf(a)), 403);
		assertProblem(this.reader.post(readingsOf(a), "{\"value\":300}"), 403);
		assertThat(deviceA.post(readingsOf(a), "{\"time\":\"" + time + "\",\"value\":300}").status())
			.isEqualTo(200);
		assertThat(this.reader.get(readingsOf(b) + "/latest").status()).isEqualTo(404);
	}

	@Test
	void refusesGatewayBatchesOfMoreThanTenThousandReadings() {
		Sensor sensor = register("PRESSURE");
		Instant start = startOf(this.clock.today().minusDays(10));
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
		LocalDate day = this.clock.today().minusDays(2);
		post(sensor, day + "T10:00:00Z", 20);
		post(sensor, day + "T12:00:00Z", 22);
		post(sensor, day + "T11:00:00Z", 21);

		JsonNode latest = this.reader.get(readingsOf(sensor) + "/latest").json();
		assertThat(latest.get("time").stringValue()).isEqualTo(day + "T12:00:00Z");
		assertThat(latest.get("value").doubleValue()).isEqualTo(22);

		JsonNode history = this.reader.get(readingsOf(sensor) + "?" + wholeDay(day)).json();
		assertThat(times(history)).containsExactly(day + "T12:00:00Z", day + "T11:00:00Z", day + "T10:00:00Z");

		Sensor second = register("TEMPERATURE");
		post(second, day + "T09:00:00Z", 18);
		register("TEMPERATURE");
		Sensor humidity = register("HUMIDITY");
		post(humidity, day + "T13:00:00Z", 60);

		JsonNode home = this.reader.get("/api/readings/latest?site=" + this.site + "&kind=TEMPERATURE").json();
		assertThat(home.get("items").valueStream().map(item -> item.get("sensorId").stringValue() + "@"
				+ item.get("time").stringValue() + "=" + item.get("value").doubleValue()))
			.containsExactlyInAnyOrder(sensor.id() + "@" + day + "T12:00:00Z=22.0",
					second.id() + "@" + day + "T09:00:00Z=18.0");
		assertThat(this.reader.get("/api/readings/latest?site=" + this.site).json().get("items").size()).isEqualTo(3);
	}

	@Test
	void pagesThroughHistoryWithACursorWithoutGapOrRepeat() {
		Sensor sensor = register("VOC");
		LocalDate day = this.clock.today().minusDays(1);
		Instant start = startOf(day);
		String batch = IntStream.range(0, 25)
			.mapToObj(i -> "{\"time\":\"" + start.plusSeconds(60L * i) + "\",\"value\":" + i + "}")
			.collect(Collectors.joining(",", "[", "]"));
		assertThat(this.operator.post(readingsOf(sensor), batch).json().get("accepted").intValue()).isEqualTo(25);

		for (String order : List.of("asc", "desc")) {
			List<Double> seen = new ArrayList<>();
			String cursor = null;
			int pages = 0;
			do {
				JsonNode page = this.reader.get(readingsOf(sensor) + "?" + wholeDay(day) + "&limit=10&order=" + order
						+ (cursor == null ? "" : "&cursor=" + cursor)).json();
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
		// The Sundays of Paris' latest spring-forward (02:00 → 03:00) and fall-back (03:00 → 02:00), both past.
		LocalDate spring = latestChangeInParis(true);
		LocalDate autumn = latestChangeInParis(false);
		// One reading per UTC hour from Saturday to Tuesday (Paris) around each change.
		List<Instant> ingested = new ArrayList<>();
		ingested.addAll(ingestHourly(sensor, utc(spring.minusDays(2), 22), utc(spring.plusDays(1), 22)));
		ingested.addAll(ingestHourly(sensor, utc(autumn.minusDays(2), 22), utc(autumn.plusDays(1), 23)));

		JsonNode march = this.reader.get(readingsOf(sensor) + "/aggregate?from=" + utc(spring.minusDays(2), 23) + "&to="
				+ utc(spring.plusDays(1), 22) + "&interval=P1D&zone=Europe/Paris").json();
		assertThat(march.get("interval").stringValue()).isEqualTo("P1D");
		assertThat(march.get("zone").stringValue()).isEqualTo("Europe/Paris");
		assertThat(buckets(march)).containsExactly(bucket(spring.minusDays(1), 0, 1, 24), bucket(spring, 0, 1, 23),
				bucket(spring.plusDays(1), 0, 2, 24));

		JsonNode october = this.reader.get(readingsOf(sensor) + "/aggregate?from=" + utc(autumn.minusDays(2), 22)
				+ "&to=" + utc(autumn.plusDays(1), 23) + "&interval=P1D&zone=Europe/Paris").json();
		assertThat(buckets(october)).containsExactly(bucket(autumn.minusDays(1), 0, 2, 24), bucket(autumn, 0, 2, 25),
				bucket(autumn.plusDays(1), 0, 1, 24));

		JsonNode utc = this.reader.get(readingsOf(sensor) + "/aggregate?from=" + utc(autumn.minusDays(1), 0) + "&to="
				+ utc(autumn.plusDays(1), 0) + "&interval=P1D&zone=UTC&fn=count,max").json();
		assertThat(buckets(utc)).containsExactly(bucket(autumn.minusDays(1), 0, 0, 24), bucket(autumn, 0, 0, 24));
		assertThat(utc.get("buckets").get(0).has("avg")).as("only the requested functions").isFalse();
		assertThat(utc.get("buckets").get(0).has("max")).isTrue();

		JsonNode hours = this.reader.get(readingsOf(sensor) + "/aggregate?from=" + utc(autumn, 0) + "&to="
				+ utc(autumn, 3) + "&interval=PT1H&zone=Europe/Paris").json();
		assertThat(buckets(hours)).containsExactly(bucket(autumn, 2, 2, 1), bucket(autumn, 2, 1, 1),
				bucket(autumn, 3, 1, 1));
		JsonNode bucket = hours.get("buckets").get(0);
		assertThat(bucket.get("min").doubleValue()).isEqualTo(bucket.get("avg").doubleValue());
		assertThat(bucket.get("sum").doubleValue()).isEqualTo(bucket.get("max").doubleValue());

		JsonNode weeks = this.reader.get(readingsOf(sensor) + "/aggregate?from=" + utc(spring.minusDays(2), 23) + "&to="
				+ utc(spring.plusDays(1), 22) + "&interval=P1W&zone=Europe/Paris").json();
		assertThat(buckets(weeks)).as("weeks start on Monday").containsExactly(bucket(spring.minusDays(6), 0, 1, 47),
				bucket(spring.plusDays(1), 0, 2, 24));
		// Months in Paris: a change on the last day of a month spills a day of readings into the next one.
		ZoneId paris = ZoneId.of("Europe/Paris");
		SortedMap<YearMonth, Long> perMonth = ingested.stream()
			.collect(Collectors.groupingBy(time -> YearMonth.from(time.atZone(paris)), TreeMap::new,
					Collectors.counting()));
		JsonNode months = this.reader.get(readingsOf(sensor) + "/aggregate?from="
				+ perMonth.firstKey().atDay(1).atStartOfDay(paris).toInstant() + "&to="
				+ perMonth.lastKey().plusMonths(1).atDay(1).atStartOfDay(paris).toInstant()
				+ "&interval=P1M&zone=Europe/Paris").json();
		assertThat(buckets(months)).containsExactlyElementsOf(perMonth.entrySet()
			.stream()
			.map(month -> DateTimeFormatter.ISO_OFFSET_DATE_TIME
				.format(month.getKey().atDay(1).atStartOfDay(paris).toOffsetDateTime()) + "=" + month.getValue())
			.toList());

		LocalDate today = this.clock.today();
		assertField(this.reader.get(readingsOf(sensor) + "/aggregate?from=" + startOf(today.minusDays(300)) + "&to="
				+ startOf(today) + "&interval=PT5M"), 400, "interval");
		assertField(this.reader.get(readingsOf(sensor) + "/aggregate?interval=PT7M"), 400, "interval");
		assertField(this.reader.get(readingsOf(sensor) + "/aggregate?zone=Mars/Olympus"), 400, "zone");
		assertField(this.reader.get(readingsOf(sensor) + "/aggregate?fn=median"), 400, "fn");
	}

	/**
	 * The local date (a Sunday) of the latest change to or from summer time in Paris whose surrounding days have all
	 * passed three days before the test clock's now.
	 */
	private LocalDate latestChangeInParis(boolean springForward) {
		ZoneRules paris = ZoneId.of("Europe/Paris").getRules();
		Instant before = this.clock.instant().minus(Duration.ofDays(3));
		ZoneOffsetTransition change = paris.previousTransition(before);
		while (change.isGap() != springForward) {
			change = paris.previousTransition(change.getInstant());
		}
		return change.getDateTimeBefore().toLocalDate();
	}

	private static Instant utc(LocalDate day, int hour) {
		return day.atTime(hour, 0).toInstant(ZoneOffset.UTC);
	}

	/** A bucket as {@link #buckets(JsonNode)} lists it: its local start with the offset in force, and its count. */
	private static String bucket(LocalDate day, int hour, int offsetHours, long count) {
		// RFC 3339 with seconds, as the contract requires: 2026-03-29T00:00:00+01:00, 2026-10-24T00:00:00Z.
		return DateTimeFormatter.ISO_OFFSET_DATE_TIME
			.format(OffsetDateTime.of(day.atTime(hour, 0), ZoneOffset.ofHours(offsetHours))) + "=" + count;
	}

	@Test
	void streamsCommittedReadingsAndResumesFromTheLastEventId() throws Exception {
		Sensor sensor = register("TEMPERATURE");
		HttpClient http = HttpClient.newHttpClient();
		Stream<String> firstStream = openStream(http, sensor, null);
		Iterator<String> lines = firstStream.iterator();
		LocalDate day = this.clock.today().minusDays(1);
		post(sensor, day + "T10:00:00Z", 20.5);

		List<String> first = nextEvent(lines);
		assertThat(first).contains("event:reading");
		assertThat(first.stream().filter(line -> line.startsWith("data:")).findFirst().orElseThrow())
			.contains("\"time\":\"" + day + "T10:00:00Z\"")
			.contains("\"value\":20.5");
		String lastEventId = first.stream()
			.filter(line -> line.startsWith("id:"))
			.findFirst()
			.orElseThrow()
			.substring(3)
			.trim();
		firstStream.close();

		post(sensor, day + "T09:00:00Z", 19.5);
		post(sensor, day + "T11:00:00Z", 21.5);
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
		Instant now = this.clock.instant();
		Duration retention = this.settings.retention();
		// The purge runs on the day its cutoff falls on the 10th of a month, mid-month on purpose: that month's
		// partition must stay and lose only its expired rows, while the whole month before is dropped.
		YearMonth cutoffMonth = YearMonth.from(now.minus(retention).plus(Duration.ofDays(40)).atOffset(ZoneOffset.UTC));
		Instant cutoff = cutoffMonth.atDay(10).atTime(12, 0).toInstant(ZoneOffset.UTC);
		Instant old = cutoffMonth.minusMonths(1).atEndOfMonth().atTime(23, 0).toInstant(ZoneOffset.UTC);
		Instant edge = cutoff.minus(Duration.ofHours(1));
		post(sensor, old.toString(), 10);
		post(sensor, edge.toString(), 11);
		post(sensor, now.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString(), 12);
		String oldPartition = "reading_p" + cutoffMonth.minusMonths(1).toString().replace("-", "");
		assertThat(partitions()).contains(oldPartition);

		ReadingRetention.Purged purged = this.retention.purge(cutoff.plus(retention));

		assertThat(purged.droppedPartitions()).contains(oldPartition);
		assertThat(partitions()).doesNotContain(oldPartition)
			.contains("reading_p" + cutoffMonth.toString().replace("-", ""));
		assertThat(purged.deletedReadings()).isGreaterThanOrEqualTo(1);
		JsonNode history = this.reader.get(readingsOf(sensor) + "?from=" + now.minus(Duration.ofDays(399)) + "&to="
				+ now.plusSeconds(60) + "&limit=10000").json();
		assertThat(history.get("items").valueStream().map(item -> item.get("value").doubleValue()))
			.containsExactly(12.0);
		assertProblem(this.operator.post(readingsOf(sensor),
				"{\"time\":\"" + now.minus(retention).minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS)
						+ "\",\"value\":1}"), 422);
	}

	@Test
	void skipsPartitionUpkeepWhileTheServiceIsInMaintenance() {
		this.retention.createPartitionsAhead();
		YearMonth last = YearMonth.from(this.clock.instant().atOffset(ZoneOffset.UTC)).plusMonths(3);
		String partition = "reading_p" + last.toString().replace("-", "");
		assertThat(partitions()).as("created ahead").contains(partition);
		this.jdbc.execute("drop table " + partition);

		this.maintenance.update(new MaintenanceMode.State("restore", this.clock.instant()));
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
		LocalDate first = this.clock.today().minusDays(8);
		post(sensor, first + "T10:00:00Z", 5);
		post(sensor, first.plusDays(1) + "T10:00:00Z", 6);
		post(sensor, first.plusDays(2) + "T10:00:00Z", 7);

		String before = "?before=" + startOf(first.plusDays(2));
		assertProblem(this.operator.delete(readingsOf(sensor) + before), 403);
		Response deleted = this.admin.delete(readingsOf(sensor) + before);
		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
		assertThat(deleted.json().get("deleted").intValue()).isEqualTo(2);
		assertThat(times(this.reader.get(readingsOf(sensor) + "?from=" + startOf(first.minusDays(10)) + "&to="
				+ startOf(first.plusDays(7))).json())).containsExactly(first.plusDays(2) + "T10:00:00Z");
		assertField(this.admin.delete(readingsOf(sensor)), 400, "before");
	}

	@Test
	void exposesIngestionMetrics() {
		Sensor sensor = register("TEMPERATURE");
		String time = this.clock.today().minusDays(1) + "T10:00:00Z";
		post(sensor, time, 20);
		this.operator.post(readingsOf(sensor), "{\"time\":\"" + time + "\",\"value\":20}");
		this.operator.post(readingsOf(sensor), "{\"time\":\"nope\",\"value\":20}");

		String metrics = this.admin.get("/actuator/prometheus").body();
		assertThat(metrics).contains("iot_readings_ingested_total", "iot_readings_duplicates_total",
				"iot_readings_rejected_total", "iot_readings_ingest_batch_seconds_count",
				"iot_readings_last_ingest_timestamp_seconds");
	}

	private List<Instant> ingestHourly(Sensor sensor, Instant from, Instant to) {
		List<Instant> times = new ArrayList<>();
		List<String> items = new ArrayList<>();
		for (Instant time = from; time.isBefore(to); time = time.plus(Duration.ofHours(1))) {
			times.add(time);
			items.add("{\"time\":\"" + time + "\",\"value\":" + (items.size() % 10) + "}");
		}
		Response response = this.operator.post(readingsOf(sensor), "[" + String.join(",", items) + "]");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return times;
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

	private static Instant startOf(LocalDate day) {
		return day.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/** The query parameters of one UTC day's history. */
	private static String wholeDay(LocalDate day) {
		return "from=" + startOf(day) + "&to=" + startOf(day.plusDays(1));
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

	/** Each bucket's start, parsed and printed again so the assertions do not depend on optional seconds. */
	private static List<String> buckets(JsonNode aggregate) {
		return aggregate.get("buckets")
			.valueStream()
			// As written on the wire: RFC 3339 with seconds, e.g. 2026-03-29T00:00:00+01:00.
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
