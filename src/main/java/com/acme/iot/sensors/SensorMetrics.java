package com.acme.iot.sensors;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes {@code iot_sensors_active}, the number of sensors expected to report: dashboards show it and the
 * "ingestion stalled" alert only fires while it is above zero. The count is refreshed in the background, so a
 * Prometheus scrape never waits for the database (a restore holding the table, a saturated pool).
 */
@Component
class SensorMetrics implements MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(SensorMetrics.class);

	private final SensorRepository sensors;

	private final AtomicLong active = new AtomicLong();

	SensorMetrics(SensorRepository sensors) {
		this.sensors = sensors;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		refresh();
		Gauge.builder("iot.sensors.active", this.active, AtomicLong::get)
			.description("Sensors in status ACTIVE")
			.register(registry);
	}

	@Scheduled(fixedDelayString = "${iot.sensors.metrics-refresh-interval:PT10S}", initialDelayString = "PT10S")
	void refresh() {
		try {
			this.active.set(this.sensors.countActive());
		}
		catch (RuntimeException ex) {
			// The last known count stands until the database answers again.
			log.debug("Cannot count active sensors: {}", ex.getMessage());
		}
	}

}
