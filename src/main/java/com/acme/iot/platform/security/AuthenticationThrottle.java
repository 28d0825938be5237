package com.acme.iot.platform.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts failed authentications per client address in fixed windows, so guessing tokens is slowed to a
 * handful of attempts a minute per address.
 */
@Component
class AuthenticationThrottle {

	private static final int CLEANUP_THRESHOLD = 10_000;

	private final int maxFailures;

	private final long windowNanos;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	private final Counter throttled;

	AuthenticationThrottle(SecuritySettings settings, MeterRegistry meters) {
		this.maxFailures = settings.authThrottle().maxFailures();
		this.windowNanos = settings.authThrottle().window().toNanos();
		this.throttled = Counter.builder("iot.security.auth.throttled")
			.description("Requests refused with 429 after repeated failed authentication")
			.register(meters);
	}

	private record Window(long start, int failures) {
	}

	void recordFailure(String client) {
		long now = System.nanoTime();
		this.windows.compute(client, (key, window) -> (window == null || now - window.start() >= this.windowNanos)
				? new Window(now, 1) : new Window(window.start(), window.failures() + 1));
		if (this.windows.size() > CLEANUP_THRESHOLD) {
			this.windows.values().removeIf(window -> now - window.start() >= this.windowNanos);
		}
	}

	/** How long the client must wait, if it has failed too often in the current window. */
	Optional<Duration> retryAfter(String client) {
		Window window = this.windows.get(client);
		if (window == null || window.failures() < this.maxFailures) {
			return Optional.empty();
		}
		long remaining = this.windowNanos - (System.nanoTime() - window.start());
		if (remaining <= 0) {
			return Optional.empty();
		}
		this.throttled.increment();
		return Optional.of(Duration.ofNanos(remaining));
	}

}
