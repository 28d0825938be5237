package com.acme.iot.platform.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 429 with {@code Retry-After} to a client that keeps presenting bad credentials, before they are
 * checked again.
 */
class AuthenticationThrottleFilter extends OncePerRequestFilter {

	private final AuthenticationThrottle throttle;

	private final ProblemSecurityHandlers problems;

	AuthenticationThrottleFilter(AuthenticationThrottle throttle, ProblemSecurityHandlers problems) {
		this.throttle = throttle;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
			Optional<Duration> wait = this.throttle.retryAfter(request.getRemoteAddr());
			if (wait.isPresent()) {
				this.problems.tooManyFailures(request, response, wait.get());
				return;
			}
		}
		chain.doFilter(request, response);
	}

}
