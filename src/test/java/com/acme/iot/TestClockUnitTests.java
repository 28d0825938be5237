package com.acme.iot;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestClockUnitTests {

	@Test
	void startsAtTheGivenInstantAndKeepsFlowing() throws InterruptedException {
		Instant start = Instant.parse("2028-02-29T23:59:30Z");
		TestClock clock = new TestClock(start);

		Instant first = clock.instant();
		Thread.sleep(20);
		Instant later = clock.instant();

		assertThat(first).isBetween(start, start.plusSeconds(1));
		assertThat(later).isAfter(first);
		assertThat(clock.today()).isEqualTo(LocalDate.of(2028, 2, 29));
	}

	@Test
	void movesForwardForEveryoneAndResets() {
		TestClock clock = new TestClock(Instant.parse("2027-10-31T23:59:50Z"));

		clock.advance(Duration.ofSeconds(30));
		assertThat(clock.today()).as("past midnight").isEqualTo(LocalDate.of(2027, 11, 1));
		clock.reset();
		assertThat(clock.today()).isEqualTo(LocalDate.of(2027, 10, 31));
	}

}
