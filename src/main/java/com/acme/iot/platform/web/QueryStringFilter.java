package com.acme.iot.platform.web;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 400 to a query string the servlet container cannot decode (a malformed %-escape, bytes that are not
 * UTF-8, too many parameters) or that carries NUL, which PostgreSQL cannot store, before anything else reads
 * it. Left to the container, the failure surfaced wherever a parameter was first read, as a 500 whose log
 * line quoted the raw value: a token in {@code ?access_token=…} included. Nothing of the query is logged here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
class QueryStringFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(QueryStringFilter.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String problem = request.getQueryString() == null ? null : problem(request);
		if (problem != null) {
			log.debug("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), problem);
			ProblemWriter.write(request, response, Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST,
					"Malformed query string", problem));
			return;
		}
		chain.doFilter(request, response);
	}

	private static String problem(HttpServletRequest request) {
		Map<String, String[]> parameters;
		try {
			parameters = request.getParameterMap();
		}
		catch (InvalidParameterException ex) {
			return "The query string cannot be decoded: every '%' must start an escape of UTF-8 bytes such as %C3%A9, "
					+ "and at most the container's limit of parameters may be sent.";
		}
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			if (hasNul(parameter.getKey()) || Arrays.stream(parameter.getValue()).anyMatch(QueryStringFilter::hasNul)) {
				return "Query parameters must not contain NUL characters (%00).";
			}
		}
		return null;
	}

	private static boolean hasNul(String value) {
		return value.indexOf('\0') >= 0;
	}

}
