package com.acme.iot.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * The API's one JSON merge patch (RFC 7396): the patch is merged into the JSON form of the current value
 * (objects member by member, {@code null} removing a member), the result is read back as the request type, and
 * Bean Validation checks it exactly as it checks a creation.
 */
@Component
public class JsonMergePatch {

	/** The media type of RFC 7396 patches. */
	public static final String MEDIA_TYPE = "application/merge-patch+json";

	private final JsonMapper json;

	private final Validator validator;

	JsonMergePatch(JsonMapper json, Validator validator) {
		this.json = json;
		this.validator = validator;
	}

	/**
	 * Applies {@code patch} to {@code current}: 400 when the patch is no JSON object or the merged document no
	 * longer reads as {@code type} (an unknown field, a wrong JSON type), 422 when it breaks a constraint.
	 */
	public <T> T apply(T current, JsonNode patch, Class<T> type) {
		if (!patch.isObject()) {
			throw ApiProblem.badRequest("$: expected a JSON object", List.of(FieldProblem.of("$", "expected a JSON object")));
		}
		JsonNode merged = merge(this.json.valueToTree(current), patch);
		T value;
		try {
			value = this.json.treeToValue(merged, type);
		}
		catch (JacksonException ex) {
			FieldProblem error = ProblemDetailsAdvice.describe(ex);
			List<FieldProblem> errors = error == null ? List.of() : List.of(error);
			throw ApiProblem.badRequest(error == null ? "The patch does not apply to this resource."
					: error.field() + ": " + error.message(), errors);
		}
		Set<ConstraintViolation<T>> violations = this.validator.validate(value);
		if (!violations.isEmpty()) {
			List<FieldProblem> errors = new ArrayList<>();
			violations.forEach(violation -> errors
				.add(FieldProblem.of(FieldProblem.pathOf(violation.getPropertyPath()), violation.getMessage())));
			errors.sort(java.util.Comparator.comparing(FieldProblem::field));
			throw ApiProblem.invalid(errors);
		}
		return value;
	}

	/** RFC 7396, section 2: MergePatch(Target, Patch). */
	static JsonNode merge(JsonNode target, JsonNode patch) {
		if (!patch.isObject()) {
			return patch;
		}
		ObjectNode result = target.isObject() ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
		for (Map.Entry<String, JsonNode> member : patch.properties()) {
			if (member.getValue().isNull()) {
				result.remove(member.getKey());
			}
			else {
				JsonNode current = result.get(member.getKey());
				result.set(member.getKey(), merge(current == null ? result.nullNode() : current, member.getValue()));
			}
		}
		return result;
	}

}
