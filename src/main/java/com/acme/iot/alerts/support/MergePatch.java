package com.acme.iot.alerts.support;

import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;

/**
 * JSON merge patch (RFC 7396) of a request record, one level deep: a field present in the patch replaces the
 * current value (objects such as {@code scope} are replaced whole), {@code null} resets it to its default.
 */
public final class MergePatch {

	private MergePatch() {
	}

	public static <T> T apply(JsonMapper json, T current, JsonNode patch, Class<T> type) {
		if (!patch.isObject()) {
			throw ApiProblem.badRequest("$: expected a JSON object", List.of(FieldProblem.of("$", "expected a JSON object")));
		}
		ObjectNode merged = json.valueToTree(current);
		for (Map.Entry<String, JsonNode> field : patch.properties()) {
			merged.set(field.getKey(), field.getValue());
		}
		try {
			return json.treeToValue(merged, type);
		}
		catch (JacksonException ex) {
			String path = ex.getPath()
				.stream()
				.map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
						: "[" + reference.getIndex() + "]")
				.reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
				.orElse("$");
			String message = ex instanceof UnrecognizedPropertyException ? "unknown field"
					: "has the wrong type or format";
			throw ApiProblem.badRequest(path + ": " + message, List.of(FieldProblem.of(path, message)));
		}
	}

}
