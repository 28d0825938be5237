package com.acme.iot.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.beans.TypeMismatchException;

/**
 * Turns every failure into {@code application/problem+json}: client mistakes into 4xx naming the field,
 * database trouble into 503 with {@code Retry-After}, and anything unexpected into a 500 without internals.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (causedBy(ex, RequestBodyTooLargeException.class)) {
			ProblemDetail tooLarge = Problems.of(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
					"Payload too large", "The request body is larger than this API accepts.");
			return handleExceptionInternal(ex, tooLarge, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		FieldProblem error = describe(outermostJacksonFailure(ex));
		ProblemDetail problem = Problems.malformed(
				error == null ? "The request body is not valid JSON for this operation."
						: error.field() + ": " + error.message(),
				error == null ? List.of() : List.of(error));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> errors = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			String field = error.contains(ConstraintViolation.class)
					? FieldProblem.pathOf(error.unwrap(ConstraintViolation.class).getPropertyPath()) : error.getField();
			errors.add(FieldProblem.of(field, String.valueOf(error.getDefaultMessage())));
		}
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach(error -> errors.add(FieldProblem.of(error.getObjectName(), String.valueOf(error.getDefaultMessage()))));
		return handleExceptionInternal(ex, Problems.invalid(errors), headers, HttpStatus.UNPROCESSABLE_CONTENT,
				request);
	}

	/** Constraints on path and query parameters ({@code @Min}, {@code @Max}): 400, like every parameter error. */
	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach(result -> {
			String name = result.getMethodParameter().getParameterName();
			result.getResolvableErrors()
				.forEach(error -> errors.add(FieldProblem.of(String.valueOf(name), String.valueOf(error.getDefaultMessage()))));
		});
		ProblemDetail problem = Problems.invalidParameter(errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: String.valueOf(ex.getPropertyName());
		Class<?> type = ex.getRequiredType();
		String expected = type == null ? "value" : type.isEnum() ? "value" : type.getSimpleName();
		FieldProblem error = FieldProblem.of(name,
				"'" + ex.getValue() + "' is not a valid " + expected.toLowerCase(Locale.ROOT) + describeChoices(ex));
		return handleExceptionInternal(ex, Problems.invalidParameter(List.of(error)), headers, HttpStatus.BAD_REQUEST,
				request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
			MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		FieldProblem error = FieldProblem.of(ex.getParameterName(), "is required");
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST,
				"Missing parameter", error.field() + " " + error.message(), List.of(error));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return handleExceptionInternal(ex, Problems.forStatus(HttpStatus.NOT_FOUND), headers, HttpStatus.NOT_FOUND,
				request);
	}

	/**
	 * Every problem Spring MVC builds itself (405, 406, 415, a missing header…) gets a type of this API
	 * instead of {@code about:blank}.
	 */
	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		if (body instanceof ProblemDetail problem) {
			Problems.complete(problem);
		}
		return super.createResponseEntity(body, headers, status, request);
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<Object> constraintViolation(ConstraintViolationException ex, WebRequest request) {
		List<FieldProblem> errors = ex.getConstraintViolations()
			.stream()
			.map(violation -> FieldProblem.of(lastNode(violation.getPropertyPath().toString()), violation.getMessage()))
			.toList();
		return handleExceptionInternal(ex, Problems.invalid(errors), new HttpHeaders(),
				HttpStatus.UNPROCESSABLE_CONTENT, request);
	}

	@ExceptionHandler(OptimisticLockingFailureException.class)
	ResponseEntity<Object> concurrentModification(OptimisticLockingFailureException ex, WebRequest request) {
		ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Concurrent modification",
				"The resource was changed by another request; read it again and retry.");
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.CONFLICT, request);
	}

	/**
	 * Security failures belong to the filter chain's entry point and access-denied handler, which know
	 * whether to answer 401 or 403.
	 */
	@ExceptionHandler({ AccessDeniedException.class, AuthenticationException.class })
	void rethrowSecurity(RuntimeException ex) {
		throw ex;
	}

	/**
	 * A database outage ({@link Problems#isDatabaseUnavailable}) is a 503 with {@code Retry-After}; anything
	 * else unexpected a 500 without internals.
	 */
	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		if (Problems.isDatabaseUnavailable(ex)) {
			log.warn("Database unavailable while serving {}: {}", request.getDescription(false), ex.getMessage());
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Problems.DATABASE_RETRY_AFTER.toSeconds()));
			return handleExceptionInternal(ex, Problems.databaseUnavailable(), headers, HttpStatus.SERVICE_UNAVAILABLE,
					request);
		}
		log.error("Unexpected failure serving {}", request.getDescription(false), ex);
		return handleExceptionInternal(ex, Problems.internalError(), new HttpHeaders(),
				HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	private static String lastNode(String path) {
		int dot = path.lastIndexOf('.');
		return dot < 0 ? path : path.substring(dot + 1);
	}

	private static String describeChoices(TypeMismatchException ex) {
		Class<?> type = ex.getRequiredType();
		if (type != null && type.isEnum()) {
			return "; expected one of " + java.util.Arrays.toString(type.getEnumConstants());
		}
		return "";
	}

	private static String abbreviate(String message) {
		return message.length() > 200 ? message.substring(0, 200) + "…" : message;
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable Throwable outermostJacksonFailure(Throwable ex) {
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof JacksonException) {
				return cause;
			}
		}
		return null;
	}

	/**
	 * Names the JSON field a Jackson failure points at, so the client knows what to fix.
	 */
	static @Nullable FieldProblem describe(@Nullable Throwable cause) {
		if (!(cause instanceof JacksonException jackson)) {
			return null;
		}
		String path = JsonPaths.of(jackson.getPath());
		if (cause instanceof UnrecognizedPropertyException unrecognized) {
			return FieldProblem.of(path, "unknown field '" + unrecognized.getPropertyName() + "'");
		}
		if (cause instanceof InvalidFormatException invalid) {
			Class<?> target = invalid.getTargetType();
			String expected = (target != null && target.isEnum())
					? "one of " + java.util.Arrays.toString(target.getEnumConstants())
					: "a valid " + (target == null ? "value" : JsonPaths.typeName(target));
			return FieldProblem.of(path, "'" + invalid.getValue() + "' is not " + expected);
		}
		if (cause instanceof MismatchedInputException mismatched) {
			Class<?> target = mismatched.getTargetType();
			return FieldProblem.of(path.isEmpty() ? "$" : path,
					"expected " + (target == null ? "another JSON type" : JsonPaths.typeName(target)));
		}
		String message = String.valueOf(jackson.getOriginalMessage());
		if (message.contains("Document nesting depth") || message.contains("exceeds the maximum allowed")) {
			return FieldProblem.of(path.isEmpty() ? "$" : path, "the JSON document is nested or sized beyond this API's limits");
		}
		return FieldProblem.of(path.isEmpty() ? "$" : path, "malformed JSON: " + abbreviate(message));
	}

}
