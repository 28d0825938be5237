package com.acme.iot.platform.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.modulith.events.EventPublication.Status;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.events.IncompletePublications.Summary;

/**
 * Makes stuck events visible: {@code iot_events_publications_incomplete{status}} and
 * {@code iot_events_publications_oldest_age_seconds}. The database is read by a background refresh; a scrape
 * only does arithmetic on what it found (the age keeps growing between refreshes, and while the database is
 * unreachable), so a scrape never waits for the database.
 */
@Component
class EventPublicationMetrics implements MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(EventPublicationMetrics.class);

	/** Statuses of an incomplete publication: queued or running, failed, or queued again by the retry job. */
	private static final Status[] INCOMPLETE = { Status.PUBLISHED, Status.PROCESSING, Status.FAILED,
			Status.RESUBMITTED };

	private final IncompletePublications publications;

	private final Clock clock;

	private final AtomicReference<Summary> last = new AtomicReference<>(Summary.NONE);

	EventPublicationMetrics(IncompletePublications publications, Clock clock) {
		this.publications = publications;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Status status : INCOMPLETE) {
			Gauge.builder("iot.events.publications.incomplete", this, metrics -> metrics.count(status))
				.description("Event publications not yet processed by their listener (with delete completion mode, "
						+ "every row of event_publication)")
				.tag("status", status.name())
				.register(registry);
		}
		Gauge.builder("iot.events.publications.oldest.age", this, EventPublicationMetrics::oldestAgeSeconds)
			.description("Age of the oldest event publication not yet processed by its listener; 0 when there is none")
			.baseUnit("seconds")
			.register(registry);
	}

	/** Reads the registry's counts; runs on the scheduler, never during a scrape. */
	void refresh() {
		try {
			this.last.set(this.publications.summary());
		}
		catch (RuntimeException ex) {
			// The last known state stands (its age keeps growing) until the database answers again.
			log.debug("Cannot read the event publication registry: {}", ex.getMessage());
		}
	}

	/** What the last refresh found. */
	Summary current() {
		return this.last.get();
	}

	private double count(Status status) {
		return this.last.get().byStatus().getOrDefault(status, 0L);
	}

	private double oldestAgeSeconds() {
		Instant oldest = this.last.get().oldestPublishedAt();
		if (oldest == null) {
			return 0;
		}
		Duration age = Duration.between(oldest, this.clock.instant());
		return age.isNegative() ? 0 : age.toMillis() / 1000.0;
	}

}
