package com.acme.iot.platform.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Time is a counter the test moves, never the wall clock. */
class AuthenticationThrottleUnitTests {

	final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	final AuthenticationThrottle throttle = new AuthenticationThrottle(
			new SecuritySettings.AuthThrottle(3, 5, Duration.ofMinutes(1)), new SimpleMeterRegistry(), this.nanos::get);

	@Test
	void fingerprintsACredentialWithAKeyOfItsOwnNeverKeepingTheToken() {
		String token = "Bearer iot_abcdefghijklmnopqrstuvwxyz0123456789";
		String fingerprint = this.throttle.fingerprint(token);
		AuthenticationThrottle other = new AuthenticationThrottle(new SecuritySettings.AuthThrottle(3, 5,
				Duration.ofMinutes(1)), new SimpleMeterRegistry(), this.nanos::get);

		assertThat(fingerprint).hasSize(32)
			.doesNotContain("abcdefghijklmnopqrstuvwxyz")
			.isEqualTo(this.throttle.fingerprint(token))
			.isNotEqualTo(SecretTokens.hash(token).substring(0, 32))
			.isNotEqualTo(other.fingerprint(token));
	}

	@Test
	void throttlesOnlyTheFailingPairUntilItsWindowEnds() {
		String bad = this.throttle.fingerprint("Bearer bad");
		for (int i = 0; i < 3; i++) {
			this.throttle.recordFailure("203.0.113.1", bad);
		}

		assertThat(this.throttle.retryAfter("203.0.113.1", bad)).hasValue(Duration.ofMinutes(1));
		assertThat(this.throttle.retryAfter("203.0.113.1", this.throttle.fingerprint("Bearer good"))).isEmpty();
		assertThat(this.throttle.retryAfter("203.0.113.2", bad)).isEmpty();
		this.nanos.addAndGet(Duration.ofSeconds(45).toNanos());
		assertThat(this.throttle.retryAfter("203.0.113.1", bad)).hasValue(Duration.ofSeconds(15));
		this.nanos.addAndGet(Duration.ofSeconds(15).toNanos());
		assertThat(this.throttle.retryAfter("203.0.113.1", bad)).isEmpty();
	}

	@Test
	void capsAnAddressSprayingManyCredentialsButServesTheOnesThatWorked() {
		String good = this.throttle.fingerprint("Bearer good");
		this.throttle.recordSuccess(good);
		for (int i = 0; i < 5; i++) {
			this.throttle.recordFailure("198.51.100.7", this.throttle.fingerprint("Bearer spray-" + i));
		}

		assertThat(this.throttle.retryAfter("198.51.100.7", this.throttle.fingerprint("Bearer spray-new"))).isPresent();
		assertThat(this.throttle.retryAfter("198.51.100.7", good)).isEmpty();
		assertThat(this.throttle.retryAfter("198.51.100.8", this.throttle.fingerprint("Bearer spray-new"))).isEmpty();
	}

	@Test
	void forgetsACredentialAsGoodOnceItFails() {
		String revoked = this.throttle.fingerprint("Bearer revoked");
		this.throttle.recordSuccess(revoked);
		for (int i = 0; i < 5; i++) {
			this.throttle.recordFailure("198.51.100.9", this.throttle.fingerprint("Bearer spray-" + i));
		}
		this.throttle.recordFailure("198.51.100.9", revoked);

		assertThat(this.throttle.retryAfter("198.51.100.9", revoked)).isPresent();
	}

	@Test
	void countsAnIpv6ClientByItsSlash64() {
		for (int i = 0; i < 5; i++) {
			this.throttle.recordFailure("2001:db8:1:2:" + i + "::1", this.throttle.fingerprint("Bearer spray-" + i));
		}

		assertThat(this.throttle.retryAfter("2001:db8:1:2:ffff::9", this.throttle.fingerprint("Bearer next")))
			.isPresent();
		assertThat(this.throttle.retryAfter("2001:db8:1:3::9", this.throttle.fingerprint("Bearer next"))).isEmpty();
	}

}
