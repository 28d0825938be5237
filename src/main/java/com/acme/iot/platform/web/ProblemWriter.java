package com.acme.iot.platform.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The one servlet-level writer of problem+json, for the answers given where Spring MVC's exception handling
 * does not reach: servlet filters, the security entry point and access-denied handler, Tomcat's error report.
 */
public final class ProblemWriter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ProblemWriter() {
	}

	/** Writes the problem as the response unless a response was already sent; the problem's status is used. */
	public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		if (response.isCommitted()) {
			return;
		}
		if (problem.getInstance() == null) {
			problem.setInstance(instance(request.getRequestURI()));
		}
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(json(problem));
	}

	/** Writes an {@link ApiProblem} with the headers it carries ({@code Retry-After}). */
	public static void write(HttpServletRequest request, HttpServletResponse response, ApiProblem problem)
			throws IOException {
		if (!response.isCommitted()) {
			problem.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
		}
		write(request, response, problem.getBody());
	}

	/** The problem's JSON, as every writer of this API sends it. */
	public static byte[] json(ProblemDetail problem) {
		return JSON.writeValueAsBytes(Problems.toMap(problem));
	}

	/** The request path as the problem's {@code instance}, or nothing when it is not a valid URI reference. */
	static @Nullable URI instance(@Nullable String path) {
		if (path == null) {
			return null;
		}
		try {
			return URI.create(path);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
