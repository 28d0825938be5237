package com.acme.iot.platform.events;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.events.EventPublicationSettings.Resubmission;
import com.acme.iot.platform.maintenance.MaintenanceMode;

/**
 * Retries event listeners that failed, so an event between modules is delayed by a failure, never lost, and a
 * long outage ends with a steady trickle of retries instead of every pending event at once: one replica per run
 * (ShedLock), at most {@code batch-size} publications per run, each only once its backoff has passed. Listener
 * calls lost with a stopped replica are marked failed after {@code stale-after} and retried the same way (this
 * replaces {@code republish-outstanding-events-on-restart}, which delivered every incomplete publication at
 * once on every starting replica, including those another replica was still processing).
 */
@Component
class EventPublicationResubmission {

	private static final Logger log = LoggerFactory.getLogger(EventPublicationResubmission.class);

	private final FailedEventPublications failed;

	private final IncompletePublications publications;

	private final MaintenanceMode maintenance;

	private final Resubmission settings;

	private final Clock clock;

	EventPublicationResubmission(FailedEventPublications failed, IncompletePublications publications,
			MaintenanceMode maintenance, EventPublicationSettings settings, Clock clock) {
		this.failed = failed;
		this.publications = publications;
		this.maintenance = maintenance;
		this.settings = settings.resubmission();
		this.clock = clock;
	}

	/**
	 * One run: hands lost listener calls to the retry, then resubmits the oldest failed publications that are
	 * due, at most {@code batch-size} of them. Skipped while a restore holds the service in maintenance.
	 */
	@SchedulerLock(name = "event-publication-resubmission", lockAtMostFor = "PT5M")
	void resubmitFailedPublications() {
		if (this.maintenance.isActive()) {
			return;
		}
		try {
			resubmitDue(this.clock.instant());
		}
		catch (DataAccessException ex) {
			// The database is unreachable: the next run tries again; readiness and the pool's alerts say why.
			log.warn("Event publication retries skipped this run: {}", ex.getMessage());
		}
	}

	private void resubmitDue(Instant now) {
		int lost = this.publications.markLostCallsFailed(now.minus(this.settings.staleAfter()));
		if (lost > 0) {
			log.warn("{} event publication(s) unfinished for more than {} (their replica stopped?) will be retried",
					lost, this.settings.staleAfter());
		}
		AtomicInteger resubmitted = new AtomicInteger();
		this.failed.resubmit(ResubmissionOptions.defaults()
			.withMaxInFlight(this.settings.maxInFlight())
			.withBatchSize(this.settings.batchSize())
			.withFilter(publication -> {
				boolean due = isDue(publication, now);
				if (due) {
					resubmitted.incrementAndGet();
				}
				return due;
			}));
		if (resubmitted.get() > 0) {
			log.info("Resubmitted {} failed event publication(s)", resubmitted.get());
		}
	}

	private boolean isDue(EventPublication publication, Instant now) {
		return !this.settings
			.nextAttempt(publication.getPublicationDate(), publication.getLastResubmissionDate(),
					publication.getCompletionAttempts())
			.isAfter(now);
	}

}
