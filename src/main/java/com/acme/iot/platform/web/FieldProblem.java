package com.acme.iot.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a problem's {@code errors} array: which field (and, in a batch, which item) and what is wrong.
 *
 * @param index position of the item in a batch, absent for a single object
 * @param field JSON path of the offending field, e.g. {@code location.latitude}
 * @param message what is wrong, in words a client developer can act on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldProblem(@Nullable Integer index, String field, String message) {

	public static FieldProblem of(String field, String message) {
		return new FieldProblem(null, field, message);
	}

	public static FieldProblem at(int index, String field, String message) {
		return new FieldProblem(index, field, message);
	}

	/**
	 * A Bean Validation property path as a dotted JSON path: {@code location.latitude}, {@code labels.floor}
	 * for a map entry, {@code items[2].value} for a list element.
	 */
	public static String pathOf(Path path) {
		StringBuilder field = new StringBuilder();
		for (Path.Node node : path) {
			if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
				continue;
			}
			if (!field.isEmpty()) {
				field.append('.');
			}
			field.append(node.getName());
			if (node.getKey() != null) {
				field.append('.').append(node.getKey());
			}
			else if (node.getIndex() != null) {
				field.append('[').append(node.getIndex()).append(']');
			}
		}
		return field.isEmpty() ? "$" : field.toString();
	}

}
