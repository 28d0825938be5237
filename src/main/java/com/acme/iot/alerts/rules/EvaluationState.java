package com.acme.iot.alerts.rules;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Where the evaluation of one rule for one sensor stands, by measurement time: the newest reading evaluated,
 * since when the condition has held without an alert yet (for {@code forDuration}), and whether a manual
 * resolve requires the value to clear before a new alert may open.
 */
record EvaluationState(UUID ruleId, UUID sensorId, @Nullable Instant lastEvaluatedAt, @Nullable Instant breachSince,
		@Nullable Double pendingPeak, boolean rearmRequired) {

	static EvaluationState initial(UUID ruleId, UUID sensorId) {
		return new EvaluationState(ruleId, sensorId, null, null, null, false);
	}

}
