package com.acme.iot.readings;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import com.acme.iot.readings.ReadingViews.AggregateView;
import com.acme.iot.readings.ReadingViews.BucketView;
import com.acme.iot.readings.ReadingViews.DeletedView;
import com.acme.iot.readings.ReadingViews.DeviceReading;
import com.acme.iot.readings.ReadingViews.GatewayReading;
import com.acme.iot.readings.ReadingViews.HistoryView;
import com.acme.iot.readings.ReadingViews.IngestView;
import com.acme.iot.readings.ReadingViews.LatestView;
import com.acme.iot.readings.ReadingViews.ReadingEvent;
import com.acme.iot.readings.ReadingViews.ReadingView;
import com.acme.iot.readings.ReadingViews.SensorReadingView;
import com.acme.iot.sensors.SensorId;
import com.acme.iot.sensors.SensorKind;
import com.acme.iot.sensors.SensorManagement;
import com.acme.iot.sensors.SensorManagement.SensorFilter;

@RestController
@PreAuthorize("hasRole('READER')")
@Tag(name = "Readings", description = "Ingestion, history, aggregates and the live stream of sensor readings")
class ReadingController {

	private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

	private static final int MAX_BUCKETS = 10_000;

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
	@Operation(operationId = "recordReadings",
			summary = "Record one reading or the array a device buffered (its own device token, or OPERATOR)",
			description = "Nothing is stored when any item is wrong: the 422 lists every wrong item by index. A reading "
					+ "already stored (same sensor and time) counts as a duplicate, so a device may safely resend.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(oneOf = { DeviceReading.class, DeviceReading[].class }))))
	@ApiResponse(responseCode = "200", description = "Stored (duplicates are not stored twice)")
	@ApiResponse(responseCode = "403", description = "A device token of another sensor, or a role below OPERATOR")
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
	@ApiResponse(responseCode = "409", description = "The sensor is decommissioned")
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
	@Operation(operationId = "recordGatewayBatch",
			summary = "Record up to 10,000 readings of many sensors at once, as a gateway does",
			description = "All or nothing: the 422 lists every wrong item by index (unknown or decommissioned "
					+ "sensors included).",
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
	@Operation(operationId = "listReadings", summary = "A sensor's history in [from, to), page by page",
			description = "Keyset paging: pass the previous page's next as cursor, with the same from, to and order. "
					+ "from defaults to 24 hours before to, to to now.")
	@ApiResponse(responseCode = "200", description = "One page of readings")
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
	HistoryView history(@PathVariable UUID id, @RequestParam(required = false) @Nullable Instant from,
			@RequestParam(required = false) @Nullable Instant to,
			@RequestParam(defaultValue = "500") @Min(1) @Max(10_000) int limit,
			@Parameter(description = "The next of the previous page") @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(defaultValue = "desc") SortOrder order) {
		requireSensor(id);
		Window window = window(from, to);
		Long after = cursor == null ? null : HistoryCursor.decode(cursor, order);
		List<StoredReading> page = this.readings.history(id, window.from(), window.to(), after,
				order == SortOrder.asc, limit + 1);
		boolean more = page.size() > limit;
		List<StoredReading> items = more ? page.subList(0, limit) : page;
		String next = more ? HistoryCursor.encode(items.get(items.size() - 1).micros(), order) : null;
		return new HistoryView(items.stream().map(ReadingView::of).toList(), next);
	}

	@GetMapping("/api/sensors/{id}/readings/latest")
	@Operation(operationId = "getLatestReading", summary = "The reading with the latest measurement time")
	@ApiResponse(responseCode = "200", description = "The latest reading")
	@ApiResponse(responseCode = "404", description = "No sensor has this id, or it has no reading yet")
	ReadingView latest(@PathVariable UUID id) {
		requireSensor(id);
		return this.readings.latest(id)
			.map(ReadingView::of)
			.orElseThrow(() -> ApiProblem.notFound("Reading of sensor", id));
	}

	@GetMapping("/api/readings/latest")
	@Operation(operationId = "listLatestReadings",
			summary = "The latest reading of every sensor matching site and kind, in one call",
			description = "Sensors without any reading are left out.")
	LatestView latestOfAll(@RequestParam(required = false) @Nullable String site,
			@RequestParam(required = false) @Nullable SensorKind kind) {
		List<UUID> ids = this.sensors.findAll(new SensorFilter(site, kind, null))
			.stream()
			.map(sensor -> sensor.getId().value())
			.toList();
		return new LatestView(this.readings.latestOf(ids)
			.stream()
			.map(reading -> new SensorReadingView(reading.sensorId(), reading.time(), reading.value()))
			.toList());
	}

	@GetMapping("/api/sensors/{id}/readings/aggregate")
	@Operation(operationId = "aggregateReadings",
			summary = "Buckets of avg, min, max, sum and count over [from, to)",
			description = "Days, weeks (from Monday) and months follow the zone's calendar, daylight-saving changes "
					+ "included (a day may last 23 or 25 hours); PT5M and PT1H are aligned on the zone's midnight. "
					+ "At most 10,000 buckets per request.")
	@ApiResponse(responseCode = "200", description = "The buckets")
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
	AggregateView aggregate(@PathVariable UUID id, @RequestParam(required = false) @Nullable Instant from,
			@RequestParam(required = false) @Nullable Instant to,
			@RequestParam(defaultValue = "PT1H") AggregateInterval interval,
			@Parameter(description = "A time-zone region such as Europe/Paris, or UTC",
					schema = @Schema(type = "string", defaultValue = "UTC", example = "Europe/Paris"))
			@RequestParam(defaultValue = "UTC") ZoneId zone,
			@Parameter(description = "The functions each bucket carries",
					array = @ArraySchema(schema = @Schema(implementation = AggregateFunction.class)))
			@RequestParam(defaultValue = "avg,min,max,sum,count") Set<AggregateFunction> fn) {
		requireSensor(id);
		ZoneId region = region(zone);
		Window window = window(from, to);
		long buckets = interval.maxBuckets(window.from(), window.to(), region);
		if (buckets > MAX_BUCKETS) {
			throw ApiProblem.invalidParameter(FieldProblem.of("interval", "the range would have up to " + buckets
					+ " buckets of " + interval.iso() + "; at most " + MAX_BUCKETS + " are served"));
		}
		List<BucketView> items = this.readings
			.aggregate(id, window.from(), window.to(), interval.bucketSql(), interval.bucketArgs(region))
			.stream()
			.map(bucket -> new BucketView(bucket.start().atZone(region).toOffsetDateTime(),
					fn.contains(AggregateFunction.avg) ? bucket.avg() : null,
					fn.contains(AggregateFunction.min) ? bucket.min() : null,
					fn.contains(AggregateFunction.max) ? bucket.max() : null,
					fn.contains(AggregateFunction.sum) ? bucket.sum() : null,
					fn.contains(AggregateFunction.count) ? bucket.count() : null))
			.toList();
		return new AggregateView(interval, region.getId(), items);
	}

	@GetMapping(path = "/api/sensors/{id}/readings/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamReadings",
			summary = "Server-sent events: each reading of the sensor as it is committed",
			description = "Events are named reading; send the last id received as Last-Event-ID to resume without a "
					+ "gap. Comments keep the connection alive.")
	@ApiResponse(responseCode = "200", description = "An endless stream of reading events",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					array = @ArraySchema(schema = @Schema(implementation = ReadingEvent.class))))
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
	SseEmitter stream(@PathVariable UUID id, @Parameter(name = "Last-Event-ID",
			description = "The id of the last event received, to resume after it") @RequestHeader(name = "Last-Event-ID",
					required = false) @Nullable String lastEventId) {
		requireSensor(id);
		return this.streams.open(id, lastEventId);
	}

	@DeleteMapping("/api/sensors/{id}/readings")
	@PreAuthorize("hasRole('ADMIN')")
	@Operation(operationId = "deleteReadings", summary = "Hard-delete a sensor's readings measured before an instant")
	@ApiResponse(responseCode = "200", description = "How many readings were deleted")
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
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
			throw ApiProblem.invalidParameter(FieldProblem.of("from", "must be before to"));
		}
		return new Window(start, end);
	}

	/** Calendar buckets need a region: UTC is one, other fixed offsets have no daylight-saving rules to follow. */
	private static ZoneId region(ZoneId zone) {
		if (zone instanceof ZoneOffset offset) {
			if (offset.getTotalSeconds() != 0) {
				throw ApiProblem.invalidParameter(FieldProblem.of("zone",
						"'" + zone + "' is not a time-zone region such as Europe/Paris or UTC"));
			}
			return ZoneId.of("UTC");
		}
		return zone;
	}

	private record Window(Instant from, Instant to) {
	}

}
