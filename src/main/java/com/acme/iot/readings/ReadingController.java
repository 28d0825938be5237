package com.acme.iot.readings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.acme.iot.platform.security.DevicePrincipal;
import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.sensors.SensorId;
import com.acme.iot.sensors.SensorKind;
import com.acme.iot.sensors.SensorManagement;
import com.acme.iot.sensors.SensorManagement.SensorFilter;

@RestController
@PreAuthorize("hasRole('READER')")
@Tag(name = "Readings", description = "Ingestion, history, aggregates and the live stream of sensor readings")
class ReadingController {

	private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

	private static final Set<String> FUNCTIONS = Set.of("avg", "min", "max", "sum", "count");

	private final ReadingIngestion ingestion;

	private final ReadingRepository readings;

	private final ReadingStreams streams;

	private final SensorManagement sensors;

	private final KnownSensors knownSensors;

	private final ReadingSettings settings;

	private final Clock clock;

	ReadingController(ReadingIngestion ingestion, ReadingRepository readings, ReadingStreams streams,
			SensorManagement sensors, KnownSensors knownSensors, ReadingSettings settings, Clock clock) {
		this.knownSensors = knownSensors;
		this.ingestion = ingestion;
		this.readings = readings;
		this.streams = streams;
		this.sensors = sensors;
		this.settings = settings;
		this.clock = clock;
	}

	@PostMapping(path = "/api/sensors/{id}/readings", consumes = MediaType.APPLICATION_JSON_VALUE)
	@PreAuthorize("hasAnyRole('OPERATOR', 'DEVICE')")
	@Operation(summary = "A device posts one reading or the array it buffered; its own device token or OPERATOR",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(oneOf = { DeviceReading.class, DeviceReading[].class }))))
	IngestView ingest(@PathVariable UUID id, HttpServletRequest request, Authentication caller) throws IOException {
		if (caller.getPrincipal() instanceof DevicePrincipal device && !device.deviceId().equals(id.toString())) {
			throw ApiProblem.forbidden("A device token may only post readings of its own sensor.");
		}
		SensorId sensor = requireSensor(id);
		return IngestView.of(this.ingestion
			.ingest(ReadingPayloads.parse(body(request), sensor, this.settings.maxBatchSize())));
	}

	@PostMapping(path = "/api/readings", consumes = MediaType.APPLICATION_JSON_VALUE)
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "A gateway posts up to 10,000 readings of many sensors: [{sensorId, time, value}]",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							array = @ArraySchema(schema = @Schema(implementation = GatewayReading.class)))))
	IngestView ingestBatch(HttpServletRequest request) throws IOException {
		return IngestView
			.of(this.ingestion.ingest(ReadingPayloads.parseGateway(body(request), this.settings.maxBatchSize())));
	}

	/**
	 * Reads the body, refusing with 413 before it is held in memory when it is far larger than the biggest
	 * batch allowed could be (1 KiB per reading is several times what one takes).
	 */
	private byte[] body(HttpServletRequest request) throws IOException {
		long limit = (long) this.settings.maxBatchSize() * 1024;
		String tooLarge = "A request may carry at most " + this.settings.maxBatchSize() + " readings and " + limit
				+ " bytes.";
		if (request.getContentLengthLong() > limit) {
			throw ApiProblem.payloadTooLarge(tooLarge);
		}
		byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
		if (body.length > limit) {
			throw ApiProblem.payloadTooLarge(tooLarge);
		}
		return body;
	}

	@GetMapping("/api/sensors/{id}/readings")
	@Operation(summary = "A sensor's history in [from, to), keyset-paged by an opaque cursor")
	HistoryView history(@PathVariable UUID id, @RequestParam(required = false) @Nullable Instant from,
			@RequestParam(required = false) @Nullable Instant to,
			@RequestParam(defaultValue = "500") @Min(1) @Max(10_000) int limit,
			@RequestParam(required = false) @Nullable String cursor,
			@RequestParam(defaultValue = "desc") String order) {
		requireSensor(id);
		boolean ascending = switch (order) {
			case "asc" -> true;
			case "desc" -> false;
			default -> throw ApiProblem.badRequest("order: must be asc or desc",
					List.of(FieldProblem.of("order", "'" + order + "' is not one of [asc, desc]")));
		};
		Window window = window(from, to);
		Long after = cursor == null ? null : Cursor.decode(cursor, ascending);
		List<StoredReading> page = this.readings.history(id, window.from(), window.to(), after, ascending, limit + 1);
		boolean more = page.size() > limit;
		List<StoredReading> items = more ? page.subList(0, limit) : page;
		String next = more ? Cursor.encode(items.get(items.size() - 1).micros(), ascending) : null;
		return new HistoryView(items.stream().map(ReadingView::of).toList(), next);
	}

	@GetMapping("/api/sensors/{id}/readings/latest")
	@Operation(summary = "The reading with the latest measurement time; 404 if the sensor has none")
	ReadingView latest(@PathVariable UUID id) {
		requireSensor(id);
		return this.readings.latest(id)
			.map(ReadingView::of)
			.orElseThrow(() -> ApiProblem.notFound("Reading of sensor", id));
	}

	@GetMapping("/api/readings/latest")
	@Operation(summary = "The latest reading of every sensor matching site and kind, in one call")
	LatestView latestOfAll(@RequestParam(required = false) @Nullable String site,
			@RequestParam(required = false) @Nullable SensorKind kind) {
		List<UUID> ids = this.sensors.findAll(new SensorFilter(site, kind, null))
			.stream()
			.map(sensor -> sensor.getId().value())
			.toList();
		return new LatestView(this.readings.latestOf(ids)
			.stream()
			.map(reading -> new SensorReadingView(reading.sensorId().toString(), reading.time(), reading.value()))
			.toList());
	}

	@GetMapping("/api/sensors/{id}/readings/aggregate")
	@Operation(summary = "Buckets of avg/min/max/sum/count; days, weeks and months follow the zone, DST included")
	Map<String, Object> aggregate(@PathVariable UUID id, @RequestParam(required = false) @Nullable Instant from,
			@RequestParam(required = false) @Nullable Instant to, @RequestParam(defaultValue = "PT1H") String interval,
			@RequestParam(defaultValue = "UTC") String zone,
			@RequestParam(defaultValue = "avg,min,max,sum,count") String fn) {
		requireSensor(id);
		AggregateInterval width = AggregateInterval.parse(interval)
			.orElseThrow(() -> ApiProblem.badRequest("interval: must be one of PT5M, PT1H, P1D, P1W, P1M",
					List.of(FieldProblem.of("interval", "'" + interval + "' is not one of [PT5M, PT1H, P1D, P1W, P1M]"))));
		ZoneId zoneId = zone(zone);
		Set<String> functions = functions(fn);
		Window window = window(from, to);
		long buckets = width.maxBuckets(window.from(), window.to(), zoneId);
		if (buckets > 10_000) {
			throw ApiProblem.invalid(FieldProblem.of("interval",
					"the range would have up to " + buckets + " buckets of " + interval + "; at most 10000 are served"));
		}
		List<Map<String, Object>> items = new ArrayList<>();
		for (ReadingRepository.Bucket bucket : this.readings.aggregate(id, window.from(), window.to(),
				width.bucketSql(), width.bucketArgs(zoneId))) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("start", bucket.start().atZone(zoneId).toOffsetDateTime().toString());
			if (functions.contains("avg")) {
				item.put("avg", bucket.avg());
			}
			if (functions.contains("min")) {
				item.put("min", bucket.min());
			}
			if (functions.contains("max")) {
				item.put("max", bucket.max());
			}
			if (functions.contains("sum")) {
				item.put("sum", bucket.sum());
			}
			if (functions.contains("count")) {
				item.put("count", bucket.count());
			}
			items.add(item);
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("interval", width.iso());
		view.put("zone", zoneId.getId());
		view.put("buckets", items);
		return view;
	}

	@GetMapping(path = "/api/sensors/{id}/readings/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "Server-Sent Events: each reading of the sensor as it is committed; resumes with Last-Event-ID")
	SseEmitter stream(@PathVariable UUID id,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
		requireSensor(id);
		return this.streams.open(id, lastEventId);
	}

	@DeleteMapping("/api/sensors/{id}/readings")
	@PreAuthorize("hasRole('ADMIN')")
	@Operation(summary = "Hard-delete a sensor's readings measured before the given instant")
	DeletedView delete(@PathVariable UUID id, @RequestParam Instant before) {
		requireSensor(id);
		return new DeletedView(this.readings.deleteBefore(id, before));
	}

	/**
	 * The cached lookup: a device posting every few seconds or an app paging history must not cost a sensor
	 * query each time.
	 */
	private SensorId requireSensor(UUID id) {
		SensorId sensor = new SensorId(id);
		this.knownSensors.find(sensor).orElseThrow(() -> ApiProblem.notFound("Sensor", id));
		return sensor;
	}

	private Window window(@Nullable Instant from, @Nullable Instant to) {
		Instant end = to == null ? this.clock.instant() : to;
		Instant start = from == null ? end.minus(DEFAULT_WINDOW) : from;
		if (!start.isBefore(end)) {
			throw ApiProblem.invalid(FieldProblem.of("from", "must be before to"));
		}
		return new Window(start, end);
	}

	private static ZoneId zone(String zone) {
		try {
			ZoneId id = ZoneId.of(zone);
			if (id instanceof ZoneOffset offset) {
				if (offset.getTotalSeconds() != 0) {
					throw new DateTimeException("offset");
				}
				return ZoneId.of("UTC");
			}
			return id;
		}
		catch (DateTimeException ex) {
			throw ApiProblem.badRequest("zone: not a time-zone region",
					List.of(FieldProblem.of("zone", "'" + zone + "' is not a time-zone region such as Europe/Paris or UTC")));
		}
	}

	private static Set<String> functions(String fn) {
		Set<String> functions = new LinkedHashSet<>();
		for (String name : fn.split(",")) {
			String trimmed = name.trim();
			if (!FUNCTIONS.contains(trimmed)) {
				throw ApiProblem.badRequest("fn: unknown function",
						List.of(FieldProblem.of("fn", "'" + trimmed + "' is not one of [avg, min, max, sum, count]")));
			}
			functions.add(trimmed);
		}
		return functions;
	}

	private record Window(Instant from, Instant to) {
	}

	/** The opaque keyset cursor: the direction and the measurement time of the last item served. */
	static final class Cursor {

		private Cursor() {
		}

		static String encode(long micros, boolean ascending) {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(((ascending ? "a" : "d") + micros).getBytes(StandardCharsets.US_ASCII));
		}

		static long decode(String cursor, boolean ascending) {
			try {
				String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
				if (raw.length() > 1 && raw.charAt(0) == (ascending ? 'a' : 'd')) {
					return Long.parseLong(raw.substring(1));
				}
			}
			catch (IllegalArgumentException ex) {
				// reported below
			}
			throw ApiProblem.badRequest("cursor: not a cursor of this listing",
					List.of(FieldProblem.of("cursor", "is not a cursor this listing returned for order "
							+ (ascending ? "asc" : "desc"))));
		}

	}

	/** Documents the device body; parsed by {@link ReadingPayloads}. */
	record DeviceReading(@Nullable Instant time, double value) {
	}

	/** Documents the gateway body; parsed by {@link ReadingPayloads}. */
	record GatewayReading(UUID sensorId, @Nullable Instant time, double value) {
	}

	record IngestView(int accepted, int duplicates) {

		static IngestView of(ReadingIngestion.Outcome outcome) {
			return new IngestView(outcome.accepted(), outcome.duplicates());
		}

	}

	record ReadingView(Instant time, double value) {

		static ReadingView of(StoredReading reading) {
			return new ReadingView(reading.time(), reading.value());
		}

	}

	record HistoryView(List<ReadingView> items, @Nullable String next) {
	}

	record SensorReadingView(String sensorId, Instant time, double value) {
	}

	record LatestView(List<SensorReadingView> items) {
	}

	record DeletedView(int deleted) {
	}

}
