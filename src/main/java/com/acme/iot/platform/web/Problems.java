package com.acme.iot.platform.web;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The one factory of this API's RFC 9457 problems: whoever answers an error (controllers, servlet filters,
 * security, actuator endpoints, Tomcat itself), the body is built here, so every error has the same
 * {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance} and {@code errors} shape.
 */
public final class Problems {

	/** How long a client waits before retrying when the database cannot be reached. */
	public static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

	private static final String ABOUT_BLANK = "about:blank";

	private Problems() {
	}

	public static ProblemDetail of(HttpStatusCode status, URI type, String title, String detail,
			List<FieldProblem> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		if (!errors.isEmpty()) {
			problem.setProperty("errors", List.copyOf(errors));
		}
		return problem;
	}

	public static ProblemDetail of(HttpStatusCode status, URI type, String title, String detail) {
		return of(status, type, title, detail, List.of());
	}

	/** 422: a well-formed request body breaks a rule. */
	public static ProblemDetail invalid(List<FieldProblem> errors) {
		return of(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.VALIDATION, "Validation failed", summary(errors),
				errors);
	}

	/** 400: a path or query parameter cannot be used as given. */
	public static ProblemDetail invalidParameter(List<FieldProblem> errors) {
		return of(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, "Invalid parameter", summary(errors),
				errors);
	}

	/** 400: the request cannot be read (JSON syntax, JSON types, unknown fields). */
	public static ProblemDetail malformed(String detail, List<FieldProblem> errors) {
		return of(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, "Malformed request", detail, errors);
	}

	public static ProblemDetail databaseUnavailable() {
		return of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service temporarily unavailable",
				"The database cannot be reached right now; retry shortly.");
	}

	public static ProblemDetail internalError() {
		return of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "Internal error",
				"The request could not be completed because of an error on our side. It has been logged.");
	}

	/** The problem of a bare status, for errors answered without a more specific explanation. */
	public static ProblemDetail forStatus(HttpStatusCode status) {
		return complete(ProblemDetail.forStatus(status));
	}

	/**
	 * Fills what a problem built elsewhere (Spring MVC's defaults) lacks: a {@code type} of this API instead of
	 * {@code about:blank}, a title and a detail.
	 */
	public static ProblemDetail complete(ProblemDetail problem) {
		HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
		if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType().toString())) {
			problem.setType(typeOf(status));
		}
		HttpStatus known = HttpStatus.resolve(status.value());
		if (problem.getTitle() == null) {
			problem.setTitle(known != null ? known.getReasonPhrase() : (status.is5xxServerError() ? "Internal error" : "Bad request"));
		}
		if (problem.getDetail() == null) {
			problem.setDetail(defaultDetail(status));
		}
		return problem;
	}

	/** The problem type a status stands for when nothing more specific is known. */
	public static URI typeOf(HttpStatusCode status) {
		return switch (status.value()) {
			case 401 -> ProblemTypes.UNAUTHORIZED;
			case 403 -> ProblemTypes.FORBIDDEN;
			case 404 -> ProblemTypes.NOT_FOUND;
			case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
			case 406 -> ProblemTypes.NOT_ACCEPTABLE;
			case 409 -> ProblemTypes.CONFLICT;
			case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
			case 422 -> ProblemTypes.VALIDATION;
			case 429 -> ProblemTypes.TOO_MANY_REQUESTS;
			case 503 -> ProblemTypes.UNAVAILABLE;
			default -> status.is5xxServerError() ? ProblemTypes.INTERNAL : ProblemTypes.MALFORMED_REQUEST;
		};
	}

	private static String defaultDetail(HttpStatusCode status) {
		return switch (status.value()) {
			case 404 -> "Nothing exists at this address.";
			case 405 -> "This address does not support the request's method; the Allow header lists those it does.";
			case 406 -> "This operation answers application/json (errors application/problem+json) only.";
			default -> status.is5xxServerError()
					? "The request could not be completed because of an error on our side."
					: "The request could not be processed.";
		};
	}

	/**
	 * The one test of "the database cannot be reached": a connection that cannot be had or opened, a
	 * transaction that cannot begin or whose connection died during commit, a timeout or a transient failure.
	 * Such errors answer 503 with {@code Retry-After}, never 500.
	 */
	public static boolean isDatabaseUnavailable(@Nullable Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
					|| cause instanceof TransactionSystemException
					|| cause instanceof DataAccessResourceFailureException
					|| cause instanceof TransientDataAccessException) {
				return true;
			}
			if (cause.getCause() == cause) {
				return false;
			}
		}
		return false;
	}

	/** The wire form of a problem, members in the RFC's order, {@code errors} last. */
	public static Map<String, Object> toMap(ProblemDetail problem) {
		ProblemDetail completed = complete(problem);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", String.valueOf(completed.getType()));
		body.put("title", completed.getTitle());
		body.put("status", completed.getStatus());
		body.put("detail", completed.getDetail());
		if (completed.getInstance() != null) {
			body.put("instance", completed.getInstance().toString());
		}
		if (completed.getProperties() != null) {
			body.putAll(completed.getProperties());
		}
		return body;
	}

	/** "field: message (and N more)", the detail of a problem listing field errors. */
	public static String summary(List<FieldProblem> errors) {
		if (errors.isEmpty()) {
			return "The request is not valid.";
		}
		FieldProblem first = errors.get(0);
		String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
		return first.field() + ": " + first.message() + more;
	}

}
