package com.acme.iot.platform.security;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps the live streams ({@code GET /api/…/stream}) one authenticated caller holds at once: each stream keeps a
 * connection open for up to half an hour, so without a cap one token could exhaust the replica. A place is
 * taken before the stream opens and given back when its asynchronous request ends for any reason.
 */
class StreamLimitFilter extends OncePerRequestFilter {

	private final StreamSettings settings;

	private final ProblemSecurityHandlers problems;

	private final Map<String, Integer> open = new ConcurrentHashMap<>();

	StreamLimitFilter(StreamSettings settings, ProblemSecurityHandlers problems) {
		this.settings = settings;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !HttpMethod.GET.matches(request.getMethod()) || !path.startsWith("/api/") || !path.endsWith("/stream");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			chain.doFilter(request, response);
			return;
		}
		String caller = caller(authentication);
		if (!acquire(caller)) {
			this.problems.tooManyStreams(request, response, this.settings.retryAfter());
			return;
		}
		AtomicBoolean released = new AtomicBoolean();
		Runnable release = () -> {
			if (released.compareAndSet(false, true)) {
				this.open.computeIfPresent(caller, (key, count) -> count <= 1 ? null : count - 1);
			}
		};
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new ReleaseOnEnd(release));
			}
			else {
				release.run();
			}
		}
	}

	private boolean acquire(String caller) {
		boolean[] acquired = { false };
		this.open.compute(caller, (key, count) -> {
			int current = count == null ? 0 : count;
			if (current >= this.settings.maxPerCaller()) {
				return count;
			}
			acquired[0] = true;
			return current + 1;
		});
		return acquired[0];
	}

	/** One key per token, device or JWT subject: names alone may repeat across API tokens. */
	private static String caller(Authentication authentication) {
		Object principal = authentication.getPrincipal();
		if (principal instanceof TokenPrincipal token) {
			return "token:" + token.tokenId();
		}
		if (principal instanceof DevicePrincipal device) {
			return "device:" + device.deviceId();
		}
		return "user:" + authentication.getName();
	}

	private record ReleaseOnEnd(Runnable release) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			this.release.run();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			this.release.run();
		}

		@Override
		public void onError(AsyncEvent event) {
			this.release.run();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

	}

}
