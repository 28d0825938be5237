package com.acme.iot.backup;

import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.platform.web.ProblemTypes;
import com.acme.iot.platform.web.Problems;

/**
 * problem+json answers of the actuator endpoints, which Spring MVC's exception advice does not reach; the
 * bodies come from the API's one problem factory.
 */
final class EndpointResponses {

	private EndpointResponses() {
	}

	static WebEndpointResponse<Object> badRequest(String field, String message) {
		return of(Problems.malformed(field + ": " + message, List.of(FieldProblem.of(field, message))));
	}

	static WebEndpointResponse<Object> of(ApiProblem ex) {
		return of(ex.getBody());
	}

	static WebEndpointResponse<Object> failed(BackupException ex) {
		return of(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.of("backup-failed"), "Backup store failure",
				String.valueOf(ex.getMessage())));
	}

	private static WebEndpointResponse<Object> of(ProblemDetail problem) {
		Map<String, Object> body = Problems.toMap(problem);
		return new WebEndpointResponse<>(body, problem.getStatus(), MediaType.APPLICATION_PROBLEM_JSON);
	}

}
