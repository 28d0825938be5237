package com.acme.iot.alerts.lifecycle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.acme.iot.alerts.support.Sql;

/**
 * Table {@code alert}. State changes are conditional updates, so two concurrent transitions of one alert never
 * both succeed.
 */
@Repository
class Alerts {

	private final JdbcClient jdbc;

	Alerts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Inserts the alert unless one is already active for its (rule, sensor); whether it was inserted. */
	boolean insertIfNoneActive(Alert alert) {
		MapSqlParameterSource params = new MapSqlParameterSource().addValue("id", alert.id())
			.addValue("ruleId", alert.ruleId(), Types.OTHER)
			.addValue("ruleName", alert.ruleName(), Types.VARCHAR)
			.addValue("type", alert.type().name())
			.addValue("sensorId", alert.sensorId())
			.addValue("site", alert.site())
			.addValue("severity", alert.severity().name())
			.addValue("openedAt", Sql.ts(alert.openedAt()))
			.addValue("lastValue", alert.lastValue(), Types.DOUBLE)
			.addValue("peakValue", alert.peakValue(), Types.DOUBLE)
			.addValue("lastBreachAt", Sql.ts(alert.lastBreachAt()), Types.TIMESTAMP_WITH_TIMEZONE);
		return this.jdbc.sql("""
				insert into alert (id, rule_id, rule_name, type, sensor_id, site, severity, state, opened_at,
				  last_value, peak_value, last_breach_at)
				values (:id, :ruleId, :ruleName, :type, :sensorId, :site, :severity, 'OPEN', :openedAt,
				  :lastValue, :peakValue, :lastBreachAt)
				on conflict do nothing""").paramSource(params).update() > 0;
	}

	void recordValues(UUID id, double lastValue, @Nullable Double peakValue, @Nullable Instant lastBreachAt) {
		this.jdbc.sql("""
				update alert set last_value = :lastValue, peak_value = :peakValue, last_breach_at = :lastBreachAt
				where id = :id and state <> 'RESOLVED'""")
			.paramSource(new MapSqlParameterSource().addValue("id", id)
				.addValue("lastValue", lastValue)
				.addValue("peakValue", peakValue, Types.DOUBLE)
				.addValue("lastBreachAt", Sql.ts(lastBreachAt), Types.TIMESTAMP_WITH_TIMEZONE))
			.update();
	}

	boolean acknowledge(UUID id, Instant at, String by, @Nullable String comment) {
		return this.jdbc.sql("""
				update alert set state = 'ACKNOWLEDGED', acknowledged_at = :at, acknowledged_by = :by,
				  ack_comment = :comment
				where id = :id and state = 'OPEN'""")
			.paramSource(new MapSqlParameterSource().addValue("id", id)
				.addValue("at", Sql.ts(at))
				.addValue("by", by)
				.addValue("comment", comment, Types.VARCHAR))
			.update() > 0;
	}

	boolean resolve(UUID id, Instant at, String by, String resolution, @Nullable String comment) {
		return this.jdbc.sql("""
				update alert set state = 'RESOLVED', resolved_at = :at, resolved_by = :by, resolution = :resolution,
				  resolve_comment = :comment
				where id = :id and state <> 'RESOLVED'""")
			.paramSource(new MapSqlParameterSource().addValue("id", id)
				.addValue("at", Sql.ts(at))
				.addValue("by", by)
				.addValue("resolution", resolution)
				.addValue("comment", comment, Types.VARCHAR))
			.update() > 0;
	}

	Optional<Alert> find(UUID id) {
		return this.jdbc.sql("select * from alert where id = :id").param("id", id).query(Alerts::map).optional();
	}

	Optional<Alert> findActive(UUID ruleId, UUID sensorId) {
		return this.jdbc.sql("""
				select * from alert where rule_id = :ruleId and sensor_id = :sensorId and type = 'THRESHOLD'
				  and state <> 'RESOLVED'""")
			.param("ruleId", ruleId)
			.param("sensorId", sensorId)
			.query(Alerts::map)
			.optional();
	}

	Optional<Alert> findActiveOffline(UUID sensorId) {
		return this.jdbc.sql("""
				select * from alert where sensor_id = :sensorId and type = 'SENSOR_OFFLINE' and state <> 'RESOLVED'""")
			.param("sensorId", sensorId)
			.query(Alerts::map)
			.optional();
	}

	List<Alert> findActiveBySensor(UUID sensorId) {
		return this.jdbc.sql("select * from alert where sensor_id = :sensorId and state <> 'RESOLVED'")
			.param("sensorId", sensorId)
			.query(Alerts::map)
			.list();
	}

	List<Alert> findActiveByRule(UUID ruleId) {
		return this.jdbc.sql("select * from alert where rule_id = :ruleId and state <> 'RESOLVED'")
			.param("ruleId", ruleId)
			.query(Alerts::map)
			.list();
	}

	/** Filters of the alert list; {@code null} means any. */
	record AlertFilter(@Nullable AlertState state, @Nullable Severity severity, @Nullable UUID sensorId,
			@Nullable String site) {
	}

	List<Alert> search(AlertFilter filter, long offset, int size) {
		MapSqlParameterSource params = new MapSqlParameterSource().addValue("offset", offset).addValue("size", size);
		return this.jdbc.sql("select * from alert" + where(filter, params) + " order by opened_at desc, id desc"
				+ " offset :offset limit :size")
			.paramSource(params)
			.query(Alerts::map)
			.list();
	}

	long count(AlertFilter filter) {
		MapSqlParameterSource params = new MapSqlParameterSource();
		return this.jdbc.sql("select count(*) from alert" + where(filter, params))
			.paramSource(params)
			.query(Long.class)
			.single();
	}

	private static String where(AlertFilter filter, MapSqlParameterSource params) {
		List<String> clauses = new ArrayList<>();
		if (filter.state() != null) {
			clauses.add("state = :state");
			params.addValue("state", filter.state().name());
		}
		if (filter.severity() != null) {
			clauses.add("severity = :severity");
			params.addValue("severity", filter.severity().name());
		}
		if (filter.sensorId() != null) {
			clauses.add("sensor_id = :sensorId");
			params.addValue("sensorId", filter.sensorId());
		}
		if (filter.site() != null) {
			clauses.add("site = :site");
			params.addValue("site", filter.site());
		}
		return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
	}

	static Alert map(ResultSet rs, int row) throws SQLException {
		return new Alert(rs.getObject("id", UUID.class), rs.getObject("rule_id", UUID.class),
				rs.getString("rule_name"), AlertType.valueOf(rs.getString("type")),
				rs.getObject("sensor_id", UUID.class), rs.getString("site"),
				Severity.valueOf(rs.getString("severity")), AlertState.valueOf(rs.getString("state")),
				Sql.requiredInstant(rs, "opened_at"), Sql.nullableDouble(rs, "last_value"),
				Sql.nullableDouble(rs, "peak_value"), Sql.instant(rs, "last_breach_at"),
				Sql.instant(rs, "acknowledged_at"), rs.getString("acknowledged_by"), rs.getString("ack_comment"),
				Sql.instant(rs, "resolved_at"), rs.getString("resolved_by"), rs.getString("resolution"),
				rs.getString("resolve_comment"));
	}

}
