package com.acme.iot.platform.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.EventPublication.Status;
import org.springframework.stereotype.Component;

/**
 * Reads Spring Modulith's {@code event_publication} table (the platform owns its schema) for what the registry's
 * API does not offer cheaply: counts and the oldest entries without loading every event, and one statement that
 * hands lost listener calls to the retry job. With {@code completion-mode=delete} every row is incomplete.
 */
@Component
class IncompletePublications {

	/** Longest excerpt of a serialized event shown to an admin. */
	static final int EVENT_EXCERPT = 500;

	private final JdbcClient jdbc;

	IncompletePublications(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** How many incomplete publications there are, by status, and when the oldest was published. */
	record Summary(Map<Status, Long> byStatus, @Nullable Instant oldestPublishedAt) {

		static final Summary NONE = new Summary(Map.of(), null);

		long total() {
			return this.byStatus.values().stream().mapToLong(Long::longValue).sum();
		}

	}

	/** One incomplete publication: an event not yet processed by one listener. */
	record Publication(UUID id, String listener, String eventType, Status status, Instant publishedAt, int attempts,
			@Nullable Instant lastResubmittedAt, String event) {
	}

	Summary summary() {
		record Group(Status status, long count, Instant oldest) {
		}
		List<Group> groups = this.jdbc.sql("""
				select coalesce(status, 'FAILED') as status, count(*) as n, min(publication_date) as oldest
				from event_publication where completion_date is null group by 1""")
			.query((rs, row) -> new Group(Status.valueOf(rs.getString("status")), rs.getLong("n"),
					instant(rs, "oldest")))
			.list();
		Map<Status, Long> byStatus = new EnumMap<>(Status.class);
		groups.forEach(group -> byStatus.put(group.status(), group.count()));
		Instant oldest = groups.stream().map(Group::oldest).min(Instant::compareTo).orElse(null);
		return new Summary(byStatus, oldest);
	}

	/** The oldest incomplete publications first. */
	List<Publication> oldest(int limit) {
		return this.jdbc.sql("""
				select id, listener_id, event_type, coalesce(status, 'FAILED') as status, publication_date,
				       coalesce(completion_attempts, 1) as attempts, last_resubmission_date,
				       left(serialized_event, :excerpt) as event, length(serialized_event) > :excerpt as cut
				from event_publication where completion_date is null
				order by publication_date, id limit :limit""")
			.param("excerpt", EVENT_EXCERPT)
			.param("limit", limit)
			.query((rs, row) -> new Publication(rs.getObject("id", UUID.class), rs.getString("listener_id"),
					rs.getString("event_type"), Status.valueOf(rs.getString("status")), instant(rs, "publication_date"),
					rs.getInt("attempts"), instant(rs, "last_resubmission_date"),
					rs.getString("event") + (rs.getBoolean("cut") ? "…" : "")))
			.list();
	}

	/**
	 * Marks failed the publications whose listener call was lost: handed to their listener (published, or last
	 * resubmitted: the registry keeps that instant in {@code last_resubmission_date}, set at publication too) before
	 * {@code before} and not finished since. Spring Modulith's own staleness monitor is not used: it dates every
	 * status by the first publication (so it would fail an old event while its retry runs), treats a status left
	 * unset as zero once another is set (failing every call in progress) and loads every publication of a status
	 * into memory.
	 * @return how many were marked
	 */
	int markLostCallsFailed(Instant before) {
		return this.jdbc.sql("""
				update event_publication set status = 'FAILED'
				where completion_date is null
				  and status in ('PUBLISHED', 'PROCESSING', 'RESUBMITTED')
				  and coalesce(last_resubmission_date, publication_date) < :before""")
			.param("before", Timestamp.from(before))
			.update();
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

}
