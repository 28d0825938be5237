package com.acme.iot.platform.web;

import java.util.List;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders errors that happen outside Spring MVC (the servlet container, filters calling {@code sendError})
 * as problem+json too, without exception details; a database outage met in a filter (authentication looks
 * tokens up) is a 503 with {@code Retry-After}, as in controllers.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

	@RequestMapping("/error")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		// Called directly rather than forwarded by the container: there is no error to report.
		HttpStatus status = HttpStatus.resolve(code instanceof Integer value ? value : 404);
		if (status == null || !status.isError()) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		if (status == HttpStatus.INTERNAL_SERVER_ERROR
				&& databaseUnavailable(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))) {
			ProblemDetail problem = ProblemDetailsAdvice.problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE,
					"Service temporarily unavailable", "The database cannot be reached right now; retry shortly.",
					List.of());
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, "5")
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setType(status.is5xxServerError() ? ProblemTypes.INTERNAL : ProblemTypes.MALFORMED_REQUEST);
		problem.setTitle(status.getReasonPhrase());
		problem.setDetail(status.is5xxServerError() ? "The request could not be completed because of an error on our side."
				: "The request could not be processed.");
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	static boolean databaseUnavailable(Object error) {
		for (Throwable cause = error instanceof Throwable t ? t : null; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
					|| cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
					|| cause instanceof QueryTimeoutException) {
				return true;
			}
		}
		return false;
	}

}
