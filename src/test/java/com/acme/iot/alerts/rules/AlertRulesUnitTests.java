package com.acme.iot.alerts.rules;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.alerts.support.AlertSettings;

import static org.assertj.core.api.Assertions.assertThat;

class AlertRulesUnitTests {

	@Test
	void breachesStrictlyBeyondTheThresholdAndClearsAtTheClearThreshold() {
		assertThat(Condition.ABOVE.breaches(30.01, 30)).isTrue();
		assertThat(Condition.ABOVE.breaches(30, 30)).isFalse();
		assertThat(Condition.ABOVE.clears(28, 28)).isTrue();
		assertThat(Condition.ABOVE.clears(28.01, 28)).isFalse();
		assertThat(Condition.BELOW.breaches(9.99, 10)).isTrue();
		assertThat(Condition.BELOW.clears(12, 12)).isTrue();
		assertThat(Condition.BELOW.clears(11.99, 12)).isFalse();
	}

	@Test
	void acceptsOnlyAClearThresholdOnTheGoodSideOfTheThreshold() {
		assertThat(Condition.ABOVE.isValidClearThreshold(30, 28)).isTrue();
		assertThat(Condition.ABOVE.isValidClearThreshold(30, 30)).isTrue();
		assertThat(Condition.ABOVE.isValidClearThreshold(30, 31)).isFalse();
		assertThat(Condition.BELOW.isValidClearThreshold(10, 12)).isTrue();
		assertThat(Condition.BELOW.isValidClearThreshold(10, 9)).isFalse();
	}

	@Test
	void letsThroughSeveritiesAtLeastAsUrgentAsTheMinimum() {
		assertThat(Severity.CRITICAL.isAtLeast(Severity.MAJOR)).isTrue();
		assertThat(Severity.MAJOR.isAtLeast(Severity.MAJOR)).isTrue();
		assertThat(Severity.MINOR.isAtLeast(Severity.MAJOR)).isFalse();
		assertThat(Severity.WARNING.isAtLeast(Severity.WARNING)).isTrue();
	}

	@Test
	void doublesTheRetryBackoffUpToItsMaximum() {
		AlertSettings.Notifications settings = new AlertSettings.Notifications(Duration.ofSeconds(2), 50,
				Duration.ofSeconds(5), Duration.ofMinutes(1), 12, Duration.ofSeconds(5), Duration.ofSeconds(10),
				"alerts@example.com");
		assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.backoff(2)).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.backoff(4)).isEqualTo(Duration.ofSeconds(40));
		assertThat(settings.backoff(5)).isEqualTo(Duration.ofMinutes(1));
		assertThat(settings.backoff(60)).isEqualTo(Duration.ofMinutes(1));
	}

}
