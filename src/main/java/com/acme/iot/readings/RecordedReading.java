package com.acme.iot.readings;

import java.time.Instant;

/**
 * One stored measurement: when it was measured (not when it arrived) and its value in the kind's unit.
 */
public record RecordedReading(Instant time, double value) {
}
