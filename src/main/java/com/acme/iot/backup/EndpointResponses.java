package com.acme.iot.backup;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.ProblemTypes;

/**
 * problem+json answers of the actuator endpoints, which Spring MVC's exception advice does not reach.
 */
final class EndpointResponses {

	private EndpointResponses() {
	}

	static WebEndpointResponse<Object> badRequest(String field, String message) {
		Map<String, Object> problem = problem(ProblemTypes.MALFORMED_REQUEST.toString(), "Malformed request", 400,
				field + ": " + message);
		problem.put("errors", java.util.List.of(Map.of("field", field, "message", message)));
		return new WebEndpointResponse<>(problem, 400, MediaType.APPLICATION_PROBLEM_JSON);
	}

	static WebEndpointResponse<Object> of(ApiProblem ex) {
		ProblemDetail body = ex.getBody();
		Map<String, Object> problem = problem(String.valueOf(body.getType()), String.valueOf(body.getTitle()),
				body.getStatus(), String.valueOf(body.getDetail()));
		return new WebEndpointResponse<>(problem, body.getStatus(), MediaType.APPLICATION_PROBLEM_JSON);
	}

	static WebEndpointResponse<Object> failed(BackupException ex) {
		Map<String, Object> problem = problem(ProblemTypes.of("backup-failed").toString(), "Backup store failure", 503,
				ex.getMessage());
		return new WebEndpointResponse<>(problem, 503, MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static Map<String, Object> problem(String type, String title, int status, String detail) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", type);
		problem.put("title", title);
		problem.put("status", status);
		problem.put("detail", detail);
		return problem;
	}

}
