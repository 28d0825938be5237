package com.acme.iot.readings;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import com.acme.iot.sensors.SensorId;

/**
 * One reading as a client sent it, after parsing: its position in the request, and fields that may still
 * be missing or wrong ({@code null} when the parser already reported a problem with them).
 */
record IncomingReading(int index, @Nullable SensorId sensorId, @Nullable Instant time, @Nullable Double value) {
}
