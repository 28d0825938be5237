package com.acme.iot.alerts.rules;

import java.sql.Types;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.acme.iot.alerts.support.Sql;

/**
 * Table {@code alert_evaluation}.
 */
@Repository
public class EvaluationStates {

	private final JdbcClient jdbc;

	EvaluationStates(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	EvaluationState find(UUID ruleId, UUID sensorId) {
		return this.jdbc.sql("select * from alert_evaluation where rule_id = :ruleId and sensor_id = :sensorId")
			.param("ruleId", ruleId)
			.param("sensorId", sensorId)
			.query((rs, row) -> new EvaluationState(ruleId, sensorId, Sql.instant(rs, "last_evaluated_at"),
					Sql.instant(rs, "breach_since"), Sql.nullableDouble(rs, "pending_peak"),
					rs.getBoolean("rearm_required")))
			.optional()
			.orElseGet(() -> EvaluationState.initial(ruleId, sensorId));
	}

	void save(EvaluationState state) {
		if (state.lastEvaluatedAt() == null) {
			return;
		}
		this.jdbc.sql("""
				insert into alert_evaluation (rule_id, sensor_id, last_evaluated_at, breach_since, pending_peak,
				  rearm_required)
				values (:ruleId, :sensorId, :lastEvaluatedAt, :breachSince, :pendingPeak, :rearmRequired)
				on conflict (rule_id, sensor_id) do update set last_evaluated_at = excluded.last_evaluated_at,
				  breach_since = excluded.breach_since, pending_peak = excluded.pending_peak,
				  rearm_required = excluded.rearm_required""")
			.paramSource(new MapSqlParameterSource().addValue("ruleId", state.ruleId())
				.addValue("sensorId", state.sensorId())
				.addValue("lastEvaluatedAt", Sql.ts(state.lastEvaluatedAt()))
				.addValue("breachSince", Sql.ts(state.breachSince()), Types.TIMESTAMP_WITH_TIMEZONE)
				.addValue("pendingPeak", state.pendingPeak(), Types.DOUBLE)
				.addValue("rearmRequired", state.rearmRequired()))
			.update();
	}

	public void requireRearm(UUID ruleId, UUID sensorId) {
		this.jdbc.sql("""
				update alert_evaluation set rearm_required = true, breach_since = null, pending_peak = null
				where rule_id = :ruleId and sensor_id = :sensorId""")
			.param("ruleId", ruleId)
			.param("sensorId", sensorId)
			.update();
	}

	void forgetRule(UUID ruleId) {
		this.jdbc.sql("delete from alert_evaluation where rule_id = :ruleId").param("ruleId", ruleId).update();
	}

	void forgetSensor(UUID sensorId) {
		this.jdbc.sql("delete from alert_evaluation where sensor_id = :sensorId").param("sensorId", sensorId).update();
	}

}
