package com.acme.iot.sensors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * Publishes {@code iot_sensors_active}, the number of sensors expected to report: dashboards show it and the
 * "ingestion stalled" alert only fires while it is above zero.
 */
@Component
class SensorMetrics implements MeterBinder {

	private final SensorRepository sensors;

	SensorMetrics(SensorRepository sensors) {
		this.sensors = sensors;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("iot.sensors.active", this.sensors, SensorRepository::countActive)
			.description("Sensors in status ACTIVE")
			.register(registry);
	}

}
