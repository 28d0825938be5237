package com.acme.iot.alerts.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.sensors.SensorKind;

/**
 * A threshold rule: which sensors it watches (one sensor, or every sensor of a kind and/or site, including
 * sensors registered later), which side of the threshold is bad, and how long that must last.
 */
public record AlertRule(UUID id, String name, @Nullable UUID sensorId, @Nullable SensorKind kind, @Nullable String site,
		Condition condition, double threshold, double clearThreshold, Duration forDuration, Severity severity,
		boolean enabled, Instant createdAt, Instant updatedAt) {

	boolean appliesTo(MonitoredSensor sensor) {
		if (this.sensorId != null) {
			return this.sensorId.equals(sensor.sensorId());
		}
		return (this.kind == null || this.kind == sensor.kind())
				&& (this.site == null || Objects.equals(this.site, sensor.site()));
	}

}
