package com.acme.iot.alerts.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.acme.iot.sensors.SensorKind;

/**
 * The alerts module's own view of a sensor: what rules match it and when it counts as offline.
 */
public record MonitoredSensor(UUID sensorId, SensorKind kind, String site, Duration offlineAfter, boolean active,
		Instant registeredAt, @Nullable Instant lastReadingAt) {

	/** A sensor that never sent anything counts as silent since its registration. */
	public Instant silentSince() {
		return this.lastReadingAt == null ? this.registeredAt : this.lastReadingAt;
	}

}
