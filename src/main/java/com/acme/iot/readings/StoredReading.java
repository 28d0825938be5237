package com.acme.iot.readings;

import java.time.Instant;
import java.util.UUID;

/**
 * One reading as the module stores it; time is held in microseconds since the epoch, the precision of a
 * PostgreSQL {@code timestamptz}, so that what is compared in Java is exactly what is stored.
 */
record StoredReading(UUID sensorId, long micros, double value) {

	static long micros(Instant time) {
		return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
	}

	static Instant instant(long micros) {
		return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
	}

	Instant time() {
		return instant(this.micros);
	}

}
