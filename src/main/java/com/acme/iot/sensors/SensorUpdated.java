package com.acme.iot.sensors;

import java.time.Duration;

/**
 * A sensor's name, site, location, offline threshold or labels changed.
 */
public record SensorUpdated(SensorId sensorId, SensorKind kind, String site, Duration offlineAfter) {
}
