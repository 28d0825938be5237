package com.acme.iot.platform.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A client-visible failure carrying its RFC 9457 problem; thrown by any module, rendered as
 * {@code application/problem+json} by {@link ProblemDetailsAdvice}.
 */
public class ApiProblem extends ErrorResponseException {

	private ApiProblem(HttpStatus status, URI type, String title, String detail, @Nullable List<FieldProblem> errors,
			@Nullable Duration retryAfter) {
		super(status, problem(status, type, title, detail, errors), null);
		if (retryAfter != null) {
			getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		}
	}

	private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail,
			@Nullable List<FieldProblem> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		if (errors != null && !errors.isEmpty()) {
			problem.setProperty("errors", List.copyOf(errors));
		}
		return problem;
	}

	@Override
	public String getMessage() {
		return getStatusCode() + " " + getBody().getDetail();
	}

	public static ApiProblem notFound(String what, Object id) {
		return new ApiProblem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, what + " not found",
				what + " '" + id + "' does not exist.", null, null);
	}

	public static ApiProblem conflict(String detail) {
		return new ApiProblem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Conflict", detail, null, null);
	}

	public static ApiProblem badRequest(String detail, List<FieldProblem> errors) {
		return new ApiProblem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, "Malformed request", detail,
				errors, null);
	}

	public static ApiProblem invalid(String detail, List<FieldProblem> errors) {
		return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.VALIDATION, "Validation failed", detail,
				errors, null);
	}

	public static ApiProblem invalid(FieldProblem error) {
		return invalid(error.field() + ": " + error.message(), List.of(error));
	}

	public static ApiProblem payloadTooLarge(String detail) {
		return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large",
				detail, null, null);
	}

	public static ApiProblem unavailable(String title, String detail, Duration retryAfter) {
		return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, title, detail, null,
				retryAfter);
	}

	public static ApiProblem forbidden(String detail) {
		return new ApiProblem(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", detail, null, null);
	}

	public static ApiProblem of(HttpStatus status, URI type, String title, String detail) {
		return new ApiProblem(status, type, title, detail, null, null);
	}

}
