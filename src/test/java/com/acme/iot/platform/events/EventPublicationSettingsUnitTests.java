package com.acme.iot.platform.events;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.acme.iot.platform.events.EventPublicationSettings.Resubmission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The retry backoff of a failed event publication and the settings' own checks.
 */
class EventPublicationSettingsUnitTests {

	private static final Instant PUBLISHED = Instant.parse("2026-03-10T12:00:00Z");

	private final Resubmission defaults = new Resubmission(Duration.ofSeconds(10), 100, 500, Duration.ofSeconds(30),
			Duration.ofMinutes(10), Duration.ofMinutes(5));

	@Test
	void doublesTheBackoffAfterEachAttemptUpToTheMaximum() {
		assertThat(this.defaults.backoff(1)).isEqualTo(Duration.ofSeconds(30));
		assertThat(this.defaults.backoff(2)).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.defaults.backoff(3)).isEqualTo(Duration.ofMinutes(2));
		assertThat(this.defaults.backoff(5)).isEqualTo(Duration.ofMinutes(8));
		assertThat(this.defaults.backoff(6)).isEqualTo(Duration.ofMinutes(10));
		assertThat(this.defaults.backoff(1_000)).isEqualTo(Duration.ofMinutes(10));
		assertThat(this.defaults.backoff(0)).as("a row without attempts counts as one").isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void countsTheBackoffFromTheLastAttemptOrElseFromThePublication() {
		Instant retried = PUBLISHED.plus(Duration.ofMinutes(3));

		assertThat(this.defaults.nextAttempt(PUBLISHED, null, 1)).isEqualTo(PUBLISHED.plusSeconds(30));
		assertThat(this.defaults.nextAttempt(PUBLISHED, retried, 3)).isEqualTo(retried.plus(Duration.ofMinutes(2)));
	}

	@Test
	void refusesSettingsThatCannotWork() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Resubmission(Duration.ZERO, 100, 500,
				Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(5)));
		assertThatIllegalArgumentException().isThrownBy(() -> new Resubmission(Duration.ofSeconds(10), 0, 500,
				Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(5)));
		assertThatIllegalArgumentException().isThrownBy(() -> new Resubmission(Duration.ofSeconds(10), 100, 500,
				Duration.ofMinutes(20), Duration.ofMinutes(10), Duration.ofMinutes(5)))
			.withMessageContaining("max-backoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new EventPublicationSettings(Duration.ofSeconds(-1), this.defaults));
	}

}
