package com.acme.iot.readings;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The ingestion metrics that dashboards and alert rules are written against
 * ({@code iot_readings_ingested_total}, {@code iot_readings_duplicates_total},
 * {@code iot_readings_rejected_total}, {@code iot_readings_ingest_batch_seconds},
 * {@code iot_readings_last_ingest_timestamp_seconds}).
 */
@Component
class ReadingMetrics {

	private final Counter ingested;

	private final Counter duplicates;

	private final Counter rejected;

	private final Timer batch;

	private final AtomicLong lastIngest = new AtomicLong();

	ReadingMetrics(MeterRegistry registry) {
		this.ingested = Counter.builder("iot.readings.ingested").description("Readings stored").register(registry);
		this.duplicates = Counter.builder("iot.readings.duplicates")
			.description("Readings received again and not stored twice")
			.register(registry);
		this.rejected = Counter.builder("iot.readings.rejected")
			.description("Readings in batches rejected as invalid")
			.register(registry);
		this.batch = Timer.builder("iot.readings.ingest.batch")
			.description("Time to validate and store one batch of readings")
			.publishPercentileHistogram()
			.register(registry);
		Gauge.builder("iot.readings.last.ingest.timestamp.seconds", this.lastIngest, AtomicLong::get)
			.description("Epoch seconds of the last committed batch")
			.register(registry);
	}

	Timer batch() {
		return this.batch;
	}

	void committed(int stored, int duplicated, long epochSecond) {
		this.ingested.increment(stored);
		this.duplicates.increment(duplicated);
		this.lastIngest.set(epochSecond);
	}

	void rejected(int items) {
		this.rejected.increment(items);
	}

}
