package com.acme.iot.platform.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Slows down guessing without locking out the honest callers behind the same address (a site's NAT, a
 * gateway): failures are counted per (client address, fingerprint of the presented credential) and only that
 * pair waits out the window. A much higher ceiling per address (per /64 for IPv6) stops spraying many
 * different tokens; past it, only credentials that authenticated recently are still served. A fingerprint is
 * a keyed hash with a key that never leaves this process, so the memory holds no token and nothing a stolen
 * heap dump could test guesses against offline.
 */
@Component
class AuthenticationThrottle {

	private static final int CLEANUP_THRESHOLD = 10_000;

	private static final int MAX_ENTRIES = 200_000;

	/** How long a credential that authenticated stays known as good. */
	private static final long KNOWN_GOOD_NANOS = Duration.ofHours(1).toNanos();

	private final int maxFailures;

	private final int maxFailuresPerAddress;

	private final long windowNanos;

	private final LongSupplier ticker;

	/** Initialised once with the process's random key, and cloned per use: cloning is half the cost of init. */
	private final Mac keyedHash;

	private final Map<String, Window> perCredential = new ConcurrentHashMap<>();

	private final Map<String, Window> perAddress = new ConcurrentHashMap<>();

	private final Map<String, Long> knownGood = new ConcurrentHashMap<>();

	private final Counter throttledCredential;

	private final Counter throttledAddress;

	@Autowired
	AuthenticationThrottle(SecuritySettings settings, MeterRegistry meters) {
		this(settings.authThrottle(), meters, System::nanoTime);
	}

	AuthenticationThrottle(SecuritySettings.AuthThrottle settings, MeterRegistry meters, LongSupplier ticker) {
		this.maxFailures = settings.maxFailures();
		this.maxFailuresPerAddress = settings.maxFailuresPerAddress();
		this.windowNanos = settings.window().toNanos();
		this.ticker = ticker;
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		try {
			this.keyedHash = Mac.getInstance("HmacSHA256");
			this.keyedHash.init(new SecretKeySpec(secret, "HmacSHA256"));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by the Java platform", ex);
		}
		this.throttledCredential = counter(meters, "credential");
		this.throttledAddress = counter(meters, "address");
	}

	private static Counter counter(MeterRegistry meters, String scope) {
		return Counter.builder("iot.security.auth.throttled")
			.description("Requests refused with 429 after repeated failed authentication")
			.tag("scope", scope)
			.register(meters);
	}

	private record Window(long start, int failures) {
	}

	/** The keyed fingerprint of a presented credential (the whole {@code Authorization} header value). */
	String fingerprint(String credential) {
		try {
			byte[] digest = ((Mac) this.keyedHash.clone()).doFinal(credential.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("The platform's HmacSHA256 cannot be cloned", ex);
		}
	}

	void recordFailure(String address, String fingerprint) {
		long now = this.ticker.getAsLong();
		this.knownGood.remove(fingerprint);
		count(this.perCredential, address + " " + fingerprint, now);
		count(this.perAddress, addressBucket(address), now);
	}

	void recordSuccess(String fingerprint) {
		long now = this.ticker.getAsLong();
		if (this.knownGood.size() > CLEANUP_THRESHOLD) {
			this.knownGood.values().removeIf(since -> now - since >= KNOWN_GOOD_NANOS);
		}
		if (this.knownGood.size() < MAX_ENTRIES || this.knownGood.containsKey(fingerprint)) {
			this.knownGood.put(fingerprint, now);
		}
	}

	/** How long this credential must wait from this address, if it must. */
	Optional<Duration> retryAfter(String address, String fingerprint) {
		long now = this.ticker.getAsLong();
		Optional<Duration> wait = remaining(this.perCredential.get(address + " " + fingerprint), this.maxFailures, now);
		if (wait.isPresent()) {
			this.throttledCredential.increment();
			return wait;
		}
		Long good = this.knownGood.get(fingerprint);
		if (good != null && now - good < KNOWN_GOOD_NANOS) {
			return Optional.empty();
		}
		wait = remaining(this.perAddress.get(addressBucket(address)), this.maxFailuresPerAddress, now);
		wait.ifPresent(duration -> this.throttledAddress.increment());
		return wait;
	}

	private void count(Map<String, Window> windows, String key, long now) {
		if (windows.size() > CLEANUP_THRESHOLD) {
			windows.values().removeIf(window -> now - window.start() >= this.windowNanos);
		}
		if (windows.size() >= MAX_ENTRIES && !windows.containsKey(key)) {
			return;
		}
		windows.compute(key, (k, window) -> (window == null || now - window.start() >= this.windowNanos)
				? new Window(now, 1) : new Window(window.start(), window.failures() + 1));
	}

	private Optional<Duration> remaining(Window window, int limit, long now) {
		if (window == null || window.failures() < limit) {
			return Optional.empty();
		}
		long remaining = this.windowNanos - (now - window.start());
		return remaining <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(remaining));
	}

	/** An IPv4 address itself; an IPv6 address by its /64, which one subscriber usually holds whole. */
	static String addressBucket(String address) {
		if (!address.contains(":")) {
			return address;
		}
		try {
			byte[] bytes = InetAddress.getByName(address).getAddress();
			if (bytes.length == 16) {
				return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
			}
		}
		catch (UnknownHostException ex) {
			// Not a literal: count it as it is.
		}
		return address;
	}

}
