package com.acme.iot.alerts.rules;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.alerts.support.Sql;
import com.acme.iot.sensors.SensorKind;

/**
 * Table {@code alert_rule}.
 */
@Repository
class AlertRules {

	private final JdbcClient jdbc;

	AlertRules(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(AlertRule rule) {
		this.jdbc.sql("""
				insert into alert_rule (id, name, sensor_id, kind, site, condition, threshold, clear_threshold,
				  for_duration, severity, enabled, created_at, updated_at)
				values (:id, :name, :sensorId, :kind, :site, :condition, :threshold, :clearThreshold,
				  :forDuration, :severity, :enabled, :createdAt, :updatedAt)""")
			.paramSource(params(rule))
			.update();
	}

	void update(AlertRule rule) {
		this.jdbc.sql("""
				update alert_rule set name = :name, sensor_id = :sensorId, kind = :kind, site = :site,
				  condition = :condition, threshold = :threshold, clear_threshold = :clearThreshold,
				  for_duration = :forDuration, severity = :severity, enabled = :enabled, updated_at = :updatedAt
				where id = :id""").paramSource(params(rule)).update();
	}

	boolean delete(UUID id) {
		return this.jdbc.sql("delete from alert_rule where id = :id").param("id", id).update() > 0;
	}

	Optional<AlertRule> find(UUID id) {
		return this.jdbc.sql("select * from alert_rule where id = :id").param("id", id).query(AlertRules::map).optional();
	}

	/**
	 * The rule, locked against concurrent changes; {@code no key update} so that evaluations, which only
	 * reference the rule, are not blocked by it.
	 */
	Optional<AlertRule> lock(UUID id) {
		return this.jdbc.sql("select * from alert_rule where id = :id for no key update")
			.param("id", id)
			.query(AlertRules::map)
			.optional();
	}

	List<AlertRule> page(long offset, int size) {
		return this.jdbc.sql("select * from alert_rule order by created_at, id offset :offset limit :size")
			.param("offset", offset)
			.param("size", size)
			.query(AlertRules::map)
			.list();
	}

	long count() {
		return this.jdbc.sql("select count(*) from alert_rule").query(Long.class).single();
	}

	/** Enabled rules watching the sensor, by id or by its kind and site. */
	List<AlertRule> applicableTo(MonitoredSensor sensor) {
		return this.jdbc.sql("""
				select * from alert_rule
				where enabled and (sensor_id = :sensorId
				  or (sensor_id is null and (kind is null or kind = :kind) and (site is null or site = :site)))
				order by created_at, id""")
			.param("sensorId", sensor.sensorId())
			.param("kind", sensor.kind().name())
			.param("site", sensor.site())
			.query(AlertRules::map)
			.list();
	}

	private static MapSqlParameterSource params(AlertRule rule) {
		return new MapSqlParameterSource().addValue("id", rule.id())
			.addValue("name", rule.name())
			.addValue("sensorId", rule.sensorId(), Types.OTHER)
			.addValue("kind", rule.kind() == null ? null : rule.kind().name(), Types.VARCHAR)
			.addValue("site", rule.site(), Types.VARCHAR)
			.addValue("condition", rule.condition().name())
			.addValue("threshold", rule.threshold())
			.addValue("clearThreshold", rule.clearThreshold())
			.addValue("forDuration", rule.forDuration().toMillis())
			.addValue("severity", rule.severity().name())
			.addValue("enabled", rule.enabled())
			.addValue("createdAt", Sql.ts(rule.createdAt()))
			.addValue("updatedAt", Sql.ts(rule.updatedAt()));
	}

	static AlertRule map(ResultSet rs, int row) throws SQLException {
		String kind = rs.getString("kind");
		return new AlertRule(rs.getObject("id", UUID.class), rs.getString("name"),
				rs.getObject("sensor_id", UUID.class), kind == null ? null : SensorKind.valueOf(kind),
				rs.getString("site"), Condition.valueOf(rs.getString("condition")), rs.getDouble("threshold"),
				rs.getDouble("clear_threshold"), Sql.millis(rs, "for_duration"),
				Severity.valueOf(rs.getString("severity")), rs.getBoolean("enabled"),
				Sql.requiredInstant(rs, "created_at"), Sql.requiredInstant(rs, "updated_at"));
	}

}
