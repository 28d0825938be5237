package com.acme.iot.sensors;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;

/**
 * Applies a JSON merge patch (RFC 7396) to a sensor's editable description. Members set to {@code null}
 * are removed (so {@code "offlineAfter": null} goes back to the default); identity, kind and status are not
 * editable.
 */
final class SensorMergePatch {

	private static final Set<String> EDITABLE = Set.of("name", "site", "location", "offlineAfter", "labels");

	private static final Set<String> READ_ONLY = Set.of("id", "kind", "unit", "status", "createdAt", "updatedAt",
			"deviceToken");

	private SensorMergePatch() {
	}

	static SensorDraft apply(SensorDraft current, JsonNode patch) {
		if (!patch.isObject()) {
			throw ApiProblem.badRequest("A merge patch must be a JSON object.",
					List.of(FieldProblem.of("$", "expected a JSON object")));
		}
		List<FieldProblem> malformed = new ArrayList<>();
		List<FieldProblem> readOnly = new ArrayList<>();
		String name = current.name();
		String site = current.site();
		Location location = current.location();
		Duration offlineAfter = current.offlineAfter();
		Map<String, String> labels = new LinkedHashMap<>(current.labels().values());
		for (Map.Entry<String, JsonNode> member : patch.properties()) {
			String field = member.getKey();
			JsonNode value = member.getValue();
			if (READ_ONLY.contains(field)) {
				readOnly.add(FieldProblem.of(field, "cannot be changed"));
				continue;
			}
			if (!EDITABLE.contains(field)) {
				malformed.add(FieldProblem.of(field, "unknown field '" + field + "'"));
				continue;
			}
			switch (field) {
				case "name" -> name = text(field, value, malformed);
				case "site" -> site = text(field, value, malformed);
				case "offlineAfter" -> offlineAfter = duration(value, malformed);
				case "location" -> location = location(location, value, malformed);
				default -> labels(labels, value, malformed);
			}
		}
		if (!malformed.isEmpty()) {
			throw ApiProblem.badRequest(malformed.get(0).field() + ": " + malformed.get(0).message(), malformed);
		}
		if (!readOnly.isEmpty()) {
			throw ApiProblem.invalid(readOnly.get(0).field() + ": " + readOnly.get(0).message(), readOnly);
		}
		return new SensorDraft(name, site, location, offlineAfter, new Labels(labels)).normalized();
	}

	private static @Nullable String text(String field, JsonNode value, List<FieldProblem> problems) {
		if (value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			problems.add(FieldProblem.of(field, "expected a string"));
			return null;
		}
		return value.stringValue();
	}

	private static @Nullable Duration duration(JsonNode value, List<FieldProblem> problems) {
		if (value.isNull()) {
			return null;
		}
		try {
			if (value.isString()) {
				return Duration.parse(value.stringValue());
			}
		}
		catch (DateTimeParseException ex) {
			// reported below
		}
		problems.add(FieldProblem.of("offlineAfter", "expected an ISO-8601 duration such as PT10M"));
		return null;
	}

	private static @Nullable Location location(@Nullable Location current, JsonNode value,
			List<FieldProblem> problems) {
		if (value.isNull()) {
			return null;
		}
		if (!value.isObject()) {
			problems.add(FieldProblem.of("location", "expected a JSON object or null"));
			return current;
		}
		Double latitude = current == null ? null : current.latitude();
		Double longitude = current == null ? null : current.longitude();
		String description = current == null ? null : current.description();
		for (Map.Entry<String, JsonNode> member : value.properties()) {
			JsonNode node = member.getValue();
			switch (member.getKey()) {
				case "latitude" -> latitude = number("location.latitude", node, problems);
				case "longitude" -> longitude = number("location.longitude", node, problems);
				case "description" -> description = text("location.description", node, problems);
				default -> problems.add(FieldProblem.of("location." + member.getKey(),
						"unknown field '" + member.getKey() + "'"));
			}
		}
		if (latitude == null || longitude == null) {
			problems.add(FieldProblem.of(latitude == null ? "location.latitude" : "location.longitude",
					"is required when a location is given"));
			return current;
		}
		return new Location(latitude, longitude, description);
	}

	private static @Nullable Double number(String field, JsonNode node, List<FieldProblem> problems) {
		if (!node.isNumber()) {
			problems.add(FieldProblem.of(field, "expected a number"));
			return null;
		}
		return node.doubleValue();
	}

	private static void labels(Map<String, String> labels, JsonNode value, List<FieldProblem> problems) {
		if (value.isNull()) {
			labels.clear();
			return;
		}
		if (!value.isObject()) {
			problems.add(FieldProblem.of("labels", "expected a JSON object or null"));
			return;
		}
		for (Map.Entry<String, JsonNode> label : value.properties()) {
			if (label.getValue().isNull()) {
				labels.remove(label.getKey());
			}
			else if (label.getValue().isString()) {
				labels.put(label.getKey(), label.getValue().stringValue());
			}
			else {
				problems.add(FieldProblem.of("labels." + label.getKey(), "expected a string or null"));
			}
		}
	}

}
