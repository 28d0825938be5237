package com.acme.iot.platform.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (status == HttpStatus.INTERNAL_SERVER_ERROR
				&& Problems.isDatabaseUnavailable(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable error ? error : null)) {
			ProblemDetail problem = Problems.databaseUnavailable();
			problem.setInstance(ProblemWriter.instance(uri instanceof String path ? path : null));
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(Problems.DATABASE_RETRY_AFTER.toSeconds()))
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		ProblemDetail problem = Problems.forStatus(status);
		problem.setInstance(ProblemWriter.instance(uri instanceof String path ? path : null));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
