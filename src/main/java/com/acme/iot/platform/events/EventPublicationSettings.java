package com.acme.iot.platform.events;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the event publication registry is watched and how failed listener calls are retried.
 *
 * @param metricsRefreshInterval how often the gauges of incomplete publications are recomputed from the database
 * (in the background: a scrape never queries it)
 * @param resubmission how failed listener calls are retried
 */
@ConfigurationProperties("iot.events")
record EventPublicationSettings(@DefaultValue("PT10S") Duration metricsRefreshInterval,
		@DefaultValue Resubmission resubmission) {

	EventPublicationSettings {
		if (!positive(metricsRefreshInterval)) {
			throw new IllegalArgumentException("iot.events.metrics-refresh-interval must be positive");
		}
	}

	/**
	 * Failed listener calls are retried by one replica at a time, a bounded batch per run, each publication after an
	 * exponential backoff, so a long outage never ends with every pending event delivered at once.
	 *
	 * @param interval how often the retry job runs
	 * @param batchSize most publications resubmitted per run (the oldest failed ones that are due)
	 * @param maxInFlight most resubmitted publications not yet finished, across replicas; a run resubmits only
	 * up to this bound
	 * @param initialBackoff wait after a publication's first failed attempt; doubles after each further attempt
	 * @param maxBackoff longest wait between two attempts of one publication
	 * @param staleAfter a publication published (or resubmitted) this long ago and still not finished lost its
	 * listener call (the replica stopped or crashed): it is marked failed so that the retry job picks it up. Far
	 * above the longest wait in the listeners' queue, so a call still queued is not delivered twice
	 */
	record Resubmission(@DefaultValue("PT10S") Duration interval, @DefaultValue("100") int batchSize,
			@DefaultValue("500") int maxInFlight, @DefaultValue("PT30S") Duration initialBackoff,
			@DefaultValue("PT10M") Duration maxBackoff, @DefaultValue("PT5M") Duration staleAfter) {

		Resubmission {
			if (!positive(interval) || !positive(initialBackoff) || !positive(staleAfter)) {
				throw new IllegalArgumentException(
						"iot.events.resubmission.interval, initial-backoff and stale-after must be positive");
			}
			if (maxBackoff.compareTo(initialBackoff) < 0) {
				throw new IllegalArgumentException(
						"iot.events.resubmission.max-backoff must not be shorter than initial-backoff");
			}
			if (batchSize < 1 || maxInFlight < 1) {
				throw new IllegalArgumentException(
						"iot.events.resubmission.batch-size and max-in-flight must be at least 1");
			}
		}

		/**
		 * The wait after the given number of attempts: {@code initialBackoff × 2^(attempts − 1)}, at most
		 * {@code maxBackoff}.
		 */
		Duration backoff(int attempts) {
			int doublings = Math.max(0, attempts - 1);
			if (doublings >= 30) {
				return this.maxBackoff;
			}
			Duration backoff = this.initialBackoff.multipliedBy(1L << doublings);
			return backoff.compareTo(this.maxBackoff) > 0 ? this.maxBackoff : backoff;
		}

		/**
		 * When a failed publication is due again: its last attempt (its publication if it was never resubmitted)
		 * plus the backoff of its number of attempts.
		 */
		Instant nextAttempt(Instant publishedAt, @Nullable Instant lastResubmittedAt, int attempts) {
			Instant last = (lastResubmittedAt != null) ? lastResubmittedAt : publishedAt;
			return last.plus(backoff(attempts));
		}

	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
