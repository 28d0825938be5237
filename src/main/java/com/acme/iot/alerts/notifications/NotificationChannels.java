package com.acme.iot.alerts.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.alerts.support.Sql;

/**
 * Table {@code notification_channel}.
 */
@Repository
class NotificationChannels {

	private final JdbcClient jdbc;

	NotificationChannels(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(NotificationChannel channel) {
		this.jdbc.sql("""
				insert into notification_channel (id, name, type, min_severity, enabled, url, secret, recipients,
				  created_at, updated_at)
				values (:id, :name, :type, :minSeverity, :enabled, :url, :secret, :recipients, :createdAt, :updatedAt)""")
			.paramSource(params(channel))
			.update();
	}

	void update(NotificationChannel channel) {
		this.jdbc.sql("""
				update notification_channel set name = :name, min_severity = :minSeverity, enabled = :enabled,
				  url = :url, secret = :secret, recipients = :recipients, updated_at = :updatedAt
				where id = :id""").paramSource(params(channel)).update();
	}

	boolean delete(UUID id) {
		return this.jdbc.sql("delete from notification_channel where id = :id").param("id", id).update() > 0;
	}

	Optional<NotificationChannel> find(UUID id) {
		return this.jdbc.sql("select * from notification_channel where id = :id")
			.param("id", id)
			.query(NotificationChannels::map)
			.optional();
	}

	boolean nameTaken(String name, UUID exceptId) {
		return this.jdbc.sql("select count(*) > 0 from notification_channel where name = :name and id <> :id")
			.param("name", name)
			.param("id", exceptId)
			.query(Boolean.class)
			.single();
	}

	List<NotificationChannel> page(long offset, int size) {
		return this.jdbc.sql("select * from notification_channel order by name offset :offset limit :size")
			.param("offset", offset)
			.param("size", size)
			.query(NotificationChannels::map)
			.list();
	}

	long count() {
		return this.jdbc.sql("select count(*) from notification_channel").query(Long.class).single();
	}

	/** Enabled channels that want alerts of this severity. */
	List<NotificationChannel> subscribedTo(Severity severity) {
		return this.jdbc.sql("select * from notification_channel where enabled order by name")
			.query(NotificationChannels::map)
			.stream()
			.filter(channel -> severity.isAtLeast(channel.minSeverity()))
			.toList();
	}

	private static MapSqlParameterSource params(NotificationChannel channel) {
		return new MapSqlParameterSource().addValue("id", channel.id())
			.addValue("name", channel.name())
			.addValue("type", channel.type().name())
			.addValue("minSeverity", channel.minSeverity().name())
			.addValue("enabled", channel.enabled())
			.addValue("url", channel.url(), Types.VARCHAR)
			.addValue("secret", channel.secret(), Types.VARCHAR)
			.addValue("recipients", channel.recipients().isEmpty() ? null : String.join(",", channel.recipients()),
					Types.VARCHAR)
			.addValue("createdAt", Sql.ts(channel.createdAt()))
			.addValue("updatedAt", Sql.ts(channel.updatedAt()));
	}

	static NotificationChannel map(ResultSet rs, int row) throws SQLException {
		String recipients = rs.getString("recipients");
		return new NotificationChannel(rs.getObject("id", UUID.class), rs.getString("name"),
				ChannelType.valueOf(rs.getString("type")), Severity.valueOf(rs.getString("min_severity")),
				rs.getBoolean("enabled"), rs.getString("url"), rs.getString("secret"),
				recipients == null ? List.of() : Arrays.asList(recipients.split(",")),
				Sql.requiredInstant(rs, "created_at"), Sql.requiredInstant(rs, "updated_at"));
	}

}
