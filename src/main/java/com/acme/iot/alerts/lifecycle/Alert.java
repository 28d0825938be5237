package com.acme.iot.alerts.lifecycle;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An alert as stored: at most one per (rule, sensor) is open or acknowledged at a time.
 */
public record Alert(UUID id, @Nullable UUID ruleId, @Nullable String ruleName, AlertType type, UUID sensorId, String site,
		Severity severity, AlertState state, Instant openedAt, @Nullable Double lastValue, @Nullable Double peakValue,
		@Nullable Instant lastBreachAt, @Nullable Instant acknowledgedAt, @Nullable String acknowledgedBy,
		@Nullable String ackComment, @Nullable Instant resolvedAt, @Nullable String resolvedBy,
		@Nullable String resolution, @Nullable String resolveComment) {

	boolean isActive() {
		return this.state != AlertState.RESOLVED;
	}

}
