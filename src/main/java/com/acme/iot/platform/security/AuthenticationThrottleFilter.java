package com.acme.iot.platform.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 429 with {@code Retry-After} to a credential that keeps failing from one address, before it is
 * checked again, and remembers the credentials that authenticate. Only the credential's keyed fingerprint is
 * kept, on the request for {@link ProblemSecurityHandlers} to count a failure against.
 */
class AuthenticationThrottleFilter extends OncePerRequestFilter {

	static final String FINGERPRINT = AuthenticationThrottleFilter.class.getName() + ".fingerprint";

	private final AuthenticationThrottle throttle;

	private final ProblemSecurityHandlers problems;

	AuthenticationThrottleFilter(AuthenticationThrottle throttle, ProblemSecurityHandlers problems) {
		this.throttle = throttle;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String credential = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (credential == null) {
			chain.doFilter(request, response);
			return;
		}
		String fingerprint = this.throttle.fingerprint(credential);
		request.setAttribute(FINGERPRINT, fingerprint);
		Optional<Duration> wait = this.throttle.retryAfter(request.getRemoteAddr(), fingerprint);
		if (wait.isPresent()) {
			this.problems.tooManyFailures(request, response, wait.get());
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication != null && authentication.isAuthenticated()
					&& !(authentication instanceof AnonymousAuthenticationToken)) {
				this.throttle.recordSuccess(fingerprint);
			}
		}
	}

}
