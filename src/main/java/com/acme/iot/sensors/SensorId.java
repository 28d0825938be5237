package com.acme.iot.sensors;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identity of a sensor; on the wire it is the bare UUID.
 */
public record SensorId(UUID value) {

	public SensorId {
		java.util.Objects.requireNonNull(value, "value");
	}

	@JsonCreator
	public static SensorId of(UUID value) {
		return new SensorId(value);
	}

	public static SensorId of(String value) {
		return new SensorId(UUID.fromString(value));
	}

	static SensorId random() {
		return new SensorId(UUID.randomUUID());
	}

	@JsonValue
	@Override
	public String toString() {
		return this.value.toString();
	}

}
