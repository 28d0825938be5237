package com.acme.iot.sensors;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Free key/value labels of a sensor ({@code building=B}); stored as JSONB, rendered as a JSON object.
 */
public record Labels(Map<String, String> values) {

	public static final Labels NONE = new Labels(Map.of());

	public Labels {
		values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
	}

	@JsonCreator
	public static Labels of(Map<String, String> values) {
		return new Labels(values);
	}

	@JsonValue
	public Map<String, String> values() {
		return this.values;
	}

}
