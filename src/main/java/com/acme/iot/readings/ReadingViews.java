package com.acme.iot.readings;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of the readings endpoints, as the OpenAPI document describes them.
 */
final class ReadingViews {

	private ReadingViews() {
	}

	/** Documents the device body; parsed by {@link ReadingPayloads}. */
	@Schema(description = "One reading of the sensor in the path; time defaults to the moment it is received")
	record DeviceReading(@Nullable Instant time, double value) {
	}

	/** Documents the gateway body; parsed by {@link ReadingPayloads}. */
	@Schema(description = "One reading of any sensor; time defaults to the moment it is received")
	record GatewayReading(UUID sensorId, @Nullable Instant time, double value) {
	}

	@Schema(description = "What an ingestion stored: new readings, and those already stored (same sensor and time)")
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

	@Schema(description = "One page of history; next is the cursor of the following page, null on the last one")
	record HistoryView(List<ReadingView> items, @Nullable String next) {
	}

	record SensorReadingView(UUID sensorId, Instant time, double value) {
	}

	record LatestView(List<SensorReadingView> items) {
	}

	record DeletedView(int deleted) {
	}

	@Schema(description = "Buckets in ascending order; only buckets holding readings are listed")
	record AggregateView(AggregateInterval interval,
			@Schema(description = "The time-zone region the buckets follow", example = "Europe/Paris") String zone,
			List<BucketView> buckets) {
	}

	/** One bucket; the functions not asked for in {@code fn} are left out. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(description = "One bucket: its start in the requested zone, and the functions asked for in fn")
	record BucketView(OffsetDateTime start, @Nullable Double avg, @Nullable Double min, @Nullable Double max,
			@Nullable Double sum, @Nullable Long count) {
	}

	@Schema(description = "One server-sent event of a reading stream; data is a JSON document on the wire")
	record ReadingEvent(@Schema(allowableValues = "reading") String event,
			@Schema(description = "Resume position: send it back as Last-Event-ID") String id, ReadingView data) {
	}

}
