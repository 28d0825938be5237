package com.acme.iot.sensors;

import java.time.Duration;

/**
 * A sensor was registered and accepts readings from now on.
 */
public record SensorRegistered(SensorId sensorId, SensorKind kind, String site, Duration offlineAfter) {
}
