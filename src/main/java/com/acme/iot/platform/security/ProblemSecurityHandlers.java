package com.acme.iot.platform.security;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import com.acme.iot.platform.web.ProblemTypes;
import com.acme.iot.platform.web.ProblemWriter;
import com.acme.iot.platform.web.Problems;

/**
 * 401 and 403 as problem+json, with the {@code WWW-Authenticate} challenge of RFC 6750.
 */
class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final AuthenticationThrottle throttle;

	ProblemSecurityHandlers(AuthenticationThrottle throttle) {
		this.throttle = throttle;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
		if (presented) {
			Object fingerprint = request.getAttribute(AuthenticationThrottleFilter.FINGERPRINT);
			this.throttle.recordFailure(request.getRemoteAddr(), fingerprint instanceof String known ? known
					: this.throttle.fingerprint(request.getHeader(HttpHeaders.AUTHORIZATION)));
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				presented ? "Bearer error=\"invalid_token\", error_description=\"The token is invalid, expired or revoked\""
						: "Bearer");
		write(response, HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, "Unauthorized",
				presented ? "The bearer token is invalid, expired or revoked."
						: "This operation needs credentials: send 'Authorization: Bearer <token>'.",
				request);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
		write(response, HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden",
				"Your credentials do not allow this operation.", request);
	}

	void tooManyFailures(HttpServletRequest request, HttpServletResponse response, java.time.Duration wait)
			throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds() + 1)));
		write(response, HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.TOO_MANY_REQUESTS, "Too many failed authentications",
				"This credential, or too many different ones, failed to authenticate from your address; retry after "
						+ "the delay.",
				request);
	}

	void tooManyStreams(HttpServletRequest request, HttpServletResponse response, java.time.Duration wait)
			throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds())));
		write(response, HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.TOO_MANY_REQUESTS, "Too many streams",
				"You already hold as many live streams as one caller may; close one or retry after the delay.",
				request);
	}

	private static void write(HttpServletResponse response, HttpStatus status, URI type, String title,
			String detail, HttpServletRequest request) throws IOException {
		ProblemWriter.write(request, response, Problems.of(status, type, title, detail));
	}

}
