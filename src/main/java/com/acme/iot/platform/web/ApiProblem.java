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
 * A client-visible failure carrying its RFC 9457 problem (built by {@link Problems}); thrown by any module,
 * rendered as {@code application/problem+json} by {@link ProblemDetailsAdvice} or {@link ProblemWriter}.
 */
public class ApiProblem extends ErrorResponseException {

	private ApiProblem(ProblemDetail problem, @Nullable Duration retryAfter) {
		super(HttpStatus.valueOf(problem.getStatus()), problem, null);
		if (retryAfter != null) {
			getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		}
	}

	@Override
	public String getMessage() {
		return getStatusCode() + " " + getBody().getDetail();
	}

	public static ApiProblem of(ProblemDetail problem) {
		return new ApiProblem(problem, null);
	}

	public static ApiProblem notFound(String what, Object id) {
		return of(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, what + " not found",
				what + " '" + id + "' does not exist."));
	}

	public static ApiProblem conflict(String detail) {
		return of(Problems.of(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Conflict", detail));
	}

	public static ApiProblem badRequest(String detail, List<FieldProblem> errors) {
		return of(Problems.malformed(detail, errors));
	}

	/** 400 for path and query parameters that cannot be used as given. */
	public static ApiProblem invalidParameter(FieldProblem error) {
		return of(Problems.invalidParameter(List.of(error)));
	}

	public static ApiProblem invalid(String detail, List<FieldProblem> errors) {
		ProblemDetail problem = Problems.invalid(errors);
		problem.setDetail(detail);
		return of(problem);
	}

	public static ApiProblem invalid(List<FieldProblem> errors) {
		return of(Problems.invalid(errors));
	}

	public static ApiProblem invalid(FieldProblem error) {
		return invalid(List.of(error));
	}

	public static ApiProblem payloadTooLarge(String detail) {
		return of(Problems.of(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large",
				detail));
	}

	public static ApiProblem unavailable(String title, String detail, Duration retryAfter) {
		return new ApiProblem(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, title, detail),
				retryAfter);
	}

	public static ApiProblem forbidden(String detail) {
		return of(Problems.of(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", detail));
	}

	public static ApiProblem of(HttpStatus status, URI type, String title, String detail) {
		return of(Problems.of(status, type, title, detail));
	}

}
