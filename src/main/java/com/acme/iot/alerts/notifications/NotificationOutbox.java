package com.acme.iot.alerts.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.acme.iot.alerts.lifecycle.Alert;
import com.acme.iot.alerts.lifecycle.AlertChange;
import com.acme.iot.alerts.lifecycle.AlertView;
import com.acme.iot.alerts.support.Sql;

/**
 * Table {@code notification_delivery}: alert changes are written here in the transaction that makes them, and
 * the dispatcher delivers them later, so a notification is never lost and a slow channel never slows
 * evaluation.
 */
@Repository
public class NotificationOutbox {

	private final JdbcClient jdbc;

	private final NotificationChannels channels;

	private final JsonMapper json;

	private final Clock clock;

	NotificationOutbox(JdbcClient jdbc, NotificationChannels channels, JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.channels = channels;
		this.json = json;
		this.clock = clock;
	}

	public void enqueue(Alert alert, AlertChange change, @Nullable String by, @Nullable String comment) {
		List<NotificationChannel> subscribers = this.channels.subscribedTo(alert.severity());
		if (subscribers.isEmpty()) {
			return;
		}
		Instant now = this.clock.instant();
		String payload = this.json
			.writeValueAsString(new NotificationPayload(change, now, AlertView.of(alert), by, comment));
		for (NotificationChannel channel : subscribers) {
			this.jdbc.sql("""
					insert into notification_delivery (id, channel_id, alert_id, event, payload, status, attempts,
					  next_attempt_at, created_at)
					values (:id, :channelId, :alertId, :event, :payload, 'PENDING', 0, :now, :now)""")
				.param("id", UUID.randomUUID())
				.param("channelId", channel.id())
				.param("alertId", alert.id())
				.param("event", change.name())
				.param("payload", payload)
				.param("now", Sql.ts(now))
				.update();
		}
	}

	/** Pending deliveries due now, of enabled channels, oldest first. */
	List<NotificationDelivery> due(Instant now, int limit) {
		return this.jdbc.sql("""
				select d.* from notification_delivery d join notification_channel c on c.id = d.channel_id
				where d.status = 'PENDING' and d.next_attempt_at <= :now and c.enabled
				order by d.next_attempt_at, d.created_at limit :limit""")
			.param("now", Sql.ts(now))
			.param("limit", limit)
			.query(NotificationOutbox::map)
			.list();
	}

	void delivered(UUID id, int attempts, Instant at) {
		this.jdbc.sql("""
				update notification_delivery set status = 'DELIVERED', attempts = :attempts, delivered_at = :at,
				  last_error = null where id = :id""")
			.param("id", id)
			.param("attempts", attempts)
			.param("at", Sql.ts(at))
			.update();
	}

	void failed(UUID id, int attempts, String error, boolean giveUp, Instant nextAttemptAt) {
		this.jdbc.sql("""
				update notification_delivery set status = :status, attempts = :attempts, last_error = :error,
				  next_attempt_at = :next where id = :id""")
			.paramSource(new MapSqlParameterSource().addValue("id", id)
				.addValue("status", giveUp ? NotificationDelivery.FAILED : NotificationDelivery.PENDING)
				.addValue("attempts", attempts)
				.addValue("error", error.length() > 1000 ? error.substring(0, 1000) : error, Types.VARCHAR)
				.addValue("next", Sql.ts(nextAttemptAt)))
			.update();
	}

	List<NotificationDelivery> ofChannel(UUID channelId, long offset, int size) {
		return this.jdbc.sql("""
				select * from notification_delivery where channel_id = :channelId
				order by created_at desc, id offset :offset limit :size""")
			.param("channelId", channelId)
			.param("offset", offset)
			.param("size", size)
			.query(NotificationOutbox::map)
			.list();
	}

	long countOfChannel(UUID channelId) {
		return this.jdbc.sql("select count(*) from notification_delivery where channel_id = :channelId")
			.param("channelId", channelId)
			.query(Long.class)
			.single();
	}

	static NotificationDelivery map(ResultSet rs, int row) throws SQLException {
		return new NotificationDelivery(rs.getObject("id", UUID.class), rs.getObject("channel_id", UUID.class),
				rs.getObject("alert_id", UUID.class), AlertChange.valueOf(rs.getString("event")),
				rs.getString("payload"), rs.getString("status"), rs.getInt("attempts"),
				Sql.requiredInstant(rs, "next_attempt_at"), rs.getString("last_error"),
				Sql.requiredInstant(rs, "created_at"), Sql.instant(rs, "delivered_at"));
	}

}
