package com.acme.iot.platform.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.modulith.events.EventPublication.Status;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.events.EventPublicationSettings.Resubmission;
import com.acme.iot.platform.events.IncompletePublications.Publication;
import com.acme.iot.platform.events.IncompletePublications.Summary;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.platform.web.Problems;

/**
 * {@code /actuator/eventpublications}: the events not yet processed by a listener, oldest first, so on-call sees
 * which listener is stuck on what, since when, after how many attempts, and when the next one is due. ADMIN
 * only, like every actuator endpoint but health and info (Spring Modulith's {@code modulith} endpoint shows the
 * modules, not the publications). Read from the database on each call.
 */
@Component
@WebEndpoint(id = "eventpublications")
class EventPublicationsEndpoint {

	static final int DEFAULT_LIMIT = 100;

	static final int MAX_LIMIT = 1000;

	private final IncompletePublications publications;

	private final RegisteredListeners listeners;

	private final Resubmission resubmission;

	EventPublicationsEndpoint(IncompletePublications publications, RegisteredListeners listeners,
			EventPublicationSettings settings) {
		this.publications = publications;
		this.listeners = listeners;
		this.resubmission = settings.resubmission();
	}

	/** The answer: counts over the whole registry and the oldest {@code limit} publications. */
	record EventPublicationsView(@Schema(description = "Incomplete publications in the whole registry") long incomplete,
			@Schema(description = "The same, by status") Map<Status, Long> byStatus,
			@Schema(description = "First publication of the oldest one; null when there is none") @Nullable Instant oldestPublishedAt,
			@Schema(description = "The oldest ones, oldest first, at most limit") List<EventPublicationView> publications) {
	}

	/**
	 * One publication. {@code attempts} counts the first delivery and every retry, {@code lastAttemptAt} is the
	 * latest of them; {@code nextAttemptAt} is set for a
	 * failed one only (the others are queued or running); {@code listenerKnown} is false for a listener that no
	 * longer exists in this release, which no retry can deliver to.
	 */
	record EventPublicationView(UUID id,
			@Schema(description = "The listener's id: declaring class, method and parameter types") String listener,
			@Schema(description = "False when no listener of this release has that id: no retry can deliver it") boolean listenerKnown,
			@Schema(example = "com.acme.iot.sensors.SensorRegistered") String eventType, Status status,
			@Schema(description = "When the event was first published") Instant publishedAt,
			@Schema(description = "The first delivery and every retry", minimum = "1") int attempts,
			@Schema(description = "The latest attempt") Instant lastAttemptAt,
			@Schema(description = "When a failed one is retried next; null while queued or running") @Nullable Instant nextAttemptAt,
			@Schema(description = "The serialized event, cut at 500 characters (… marks the cut)") String event) {
	}

	@ReadOperation
	WebEndpointResponse<Object> incomplete(@Nullable String limit) {
		int count = DEFAULT_LIMIT;
		if (limit != null) {
			try {
				count = Integer.parseInt(limit.strip());
			}
			catch (NumberFormatException ex) {
				count = -1;
			}
			if (count < 1 || count > MAX_LIMIT) {
				return problem(Problems.invalidParameter(
						List.of(FieldProblem.of("limit", "must be a whole number from 1 to " + MAX_LIMIT))));
			}
		}
		try {
			Summary summary = this.publications.summary();
			List<EventPublicationView> oldest = this.publications.oldest(count).stream().map(this::view).toList();
			return new WebEndpointResponse<>(new EventPublicationsView(summary.total(), summary.byStatus(),
					summary.oldestPublishedAt(), oldest), 200);
		}
		catch (DataAccessException ex) {
			return problem(Problems.databaseUnavailable());
		}
	}

	private EventPublicationView view(Publication publication) {
		Instant lastAttempt = (publication.lastResubmittedAt() != null) ? publication.lastResubmittedAt()
				: publication.publishedAt();
		@Nullable Instant next = (publication.status() == Status.FAILED) ? this.resubmission
			.nextAttempt(publication.publishedAt(), publication.lastResubmittedAt(), publication.attempts()) : null;
		return new EventPublicationView(publication.id(), publication.listener(),
				this.listeners.contains(publication.listener()), publication.eventType(), publication.status(),
				publication.publishedAt(), publication.attempts(), lastAttempt, next, publication.event());
	}

	/** problem+json from the API's one factory: Spring MVC's exception advice does not reach actuator operations. */
	private static WebEndpointResponse<Object> problem(ProblemDetail problem) {
		return new WebEndpointResponse<>(Problems.toMap(problem), problem.getStatus(),
				MediaType.APPLICATION_PROBLEM_JSON);
	}

}
