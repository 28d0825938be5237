package com.acme.iot.readings;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.platform.web.WebLimits;
import com.acme.iot.sensors.SensorId;

/**
 * Reads ingestion bodies by hand rather than by data binding, so that every wrong item — a malformed time,
 * a NaN, a missing value — becomes a 422 entry naming its index instead of failing the whole parse.
 */
final class ReadingPayloads {

	/**
	 * NaN and Infinity are accepted by the parser so that validation can reject them by index; number literals
	 * longer than any double needs are not, so no value reaches validation as a number a double cannot hold.
	 */
	private static final JsonMapper JSON = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(
					StreamReadConstraints.builder().maxNumberLength(WebLimits.MAX_NUMBER_LENGTH).build())
			.build())
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.build();

	private ReadingPayloads() {
	}

	/** Parsed items plus every problem found on the way. */
	record Parsed(List<IncomingReading> items, List<FieldProblem> problems) {
	}

	/** Parses a device body: one reading or an array of readings, all of {@code sensor}. */
	static Parsed parse(byte[] body, SensorId sensor, int maxItems) {
		return parse(body, sensor, true, maxItems);
	}

	/** Parses a gateway body: an array of readings that each name their sensor. */
	static Parsed parseGateway(byte[] body, int maxItems) {
		return parse(body, null, false, maxItems);
	}

	private static Parsed parse(byte[] body, @Nullable SensorId sensor, boolean singleAllowed, int maxItems) {
		JsonNode root;
		try {
			root = JSON.readTree(body);
		}
		catch (StreamConstraintsException ex) {
			throw ApiProblem.badRequest("The request body holds a number longer than " + WebLimits.MAX_NUMBER_LENGTH
					+ " characters.", List.of(FieldProblem.of("$", "a number is longer than a reading value can be")));
		}
		catch (JacksonException ex) {
			throw ApiProblem.badRequest("The request body is not valid JSON.",
					List.of(FieldProblem.of("$", "malformed JSON: " + ex.getOriginalMessage())));
		}
		List<JsonNode> nodes;
		if (root != null && root.isArray()) {
			if (root.size() > maxItems) {
				throw ApiProblem.payloadTooLarge(
						"A request may carry at most " + maxItems + " readings; this one has " + root.size() + ".");
			}
			nodes = root.valueStream().toList();
		}
		else if (root != null && root.isObject() && singleAllowed) {
			nodes = List.of(root);
		}
		else {
			throw ApiProblem.badRequest("The body must be " + (singleAllowed ? "a reading or " : "") + "an array of readings.",
					List.of(FieldProblem.of("$", "expected " + (singleAllowed ? "an object or " : "") + "an array")));
		}
		List<IncomingReading> items = new ArrayList<>(nodes.size());
		List<FieldProblem> problems = new ArrayList<>();
		for (int index = 0; index < nodes.size(); index++) {
			items.add(item(index, nodes.get(index), sensor, problems));
		}
		return new Parsed(items, problems);
	}

	private static IncomingReading item(int index, JsonNode node, @Nullable SensorId sensor, List<FieldProblem> problems) {
		if (!node.isObject()) {
			problems.add(FieldProblem.at(index, "$", "expected an object"));
			return new IncomingReading(index, null, null, null);
		}
		@Nullable SensorId sensorId = sensor;
		@Nullable Instant time = null;
		@Nullable Double value = null;
		boolean timeGiven = false;
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			JsonNode v = field.getValue();
			switch (field.getKey()) {
				case "sensorId" -> {
					if (sensor != null) {
						problems.add(FieldProblem.at(index, "sensorId", "unknown field 'sensorId'; the sensor is in the path"));
					}
					else {
						sensorId = sensorId(index, v, problems);
					}
				}
				case "time" -> {
					timeGiven = !v.isNull();
					time = time(index, v, problems);
				}
				case "value" -> value = value(index, v, problems);
				default -> problems.add(FieldProblem.at(index, field.getKey(), "unknown field '" + field.getKey() + "'"));
			}
		}
		if (sensor == null && !node.has("sensorId")) {
			problems.add(FieldProblem.at(index, "sensorId", "is required"));
		}
		if (!node.has("value")) {
			problems.add(FieldProblem.at(index, "value", "is required"));
		}
		return new IncomingReading(index, sensorId, timeGiven ? time : null, value);
	}

	private static @Nullable SensorId sensorId(int index, JsonNode node, List<FieldProblem> problems) {
		if (node.isString()) {
			try {
				return SensorId.of(node.stringValue());
			}
			catch (IllegalArgumentException ex) {
				// reported below
			}
		}
		problems.add(FieldProblem.at(index, "sensorId", "'" + node + "' is not a sensor id (UUID)"));
		return null;
	}

	private static @Nullable Instant time(int index, JsonNode node, List<FieldProblem> problems) {
		if (node.isNull()) {
			return null;
		}
		if (node.isString()) {
			try {
				return OffsetDateTime.parse(node.stringValue()).toInstant();
			}
			catch (DateTimeParseException ex) {
				// reported below
			}
		}
		problems.add(FieldProblem.at(index, "time",
				"'" + (node.isString() ? node.stringValue() : node.toString())
						+ "' is not an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00Z"));
		return null;
	}

	private static @Nullable Double value(int index, JsonNode node, List<FieldProblem> problems) {
		double value;
		if (node.isNumber()) {
			value = node.doubleValue();
		}
		else if (node.isString() && List.of("NaN", "Infinity", "-Infinity", "+Infinity").contains(node.stringValue())) {
			value = Double.NaN;
		}
		else {
			problems.add(FieldProblem.at(index, "value", "must be a number"));
			return null;
		}
		if (!Double.isFinite(value)) {
			problems.add(FieldProblem.at(index, "value", "must be a finite number, not NaN or Infinity"));
			return null;
		}
		return value;
	}

}
