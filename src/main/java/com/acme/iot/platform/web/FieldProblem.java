package com.acme.iot.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;
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

}
