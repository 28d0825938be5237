package com.acme.iot.readings;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One reading as the module stores it; time is held in microseconds since the epoch, the precision of a
 * PostgreSQL {@code timestamptz}, so that what is compared in Java is exactly what is stored.
 */
record StoredReading(UUID sensorId, long micros, double value) {

	static long micros(Instant time) {
		return ChronoUnit.MICROS.between(Instant.EPOCH, time);
	}

	static Instant instant(long micros) {
		return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
	}

	Instant time() {
		return instant(this.micros);
	}

}
