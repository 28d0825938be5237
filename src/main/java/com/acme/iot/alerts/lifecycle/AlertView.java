package com.acme.iot.alerts.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An alert on the wire (API, stream and notifications); {@code timeline} only in the single-alert view.
 */
public record AlertView(UUID id, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable UUID ruleId,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String ruleName, AlertType type, UUID sensorId,
		String site, Severity severity, AlertState state, Instant openedAt, @Nullable Double lastValue,
		@Nullable Double peakValue, @Nullable Instant lastBreachAt, @Nullable Instant acknowledgedAt,
		@Nullable Instant resolvedAt,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<TimelineEntry> timeline) {

	/** One step of an alert's life; {@code by}, {@code comment} and {@code reason} where they apply. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record TimelineEntry(@Schema(allowableValues = { "OPENED", "ACKNOWLEDGED", "RESOLVED" }) String type, Instant at,
			@Nullable String by, @Nullable String comment,
			@Schema(description = "Why the alert resolved", allowableValues = { "CLEARED", "MANUAL", "RULE_DELETED",
					"RULE_DISABLED", "RULE_NO_LONGER_APPLIES", "SENSOR_BACK_ONLINE",
					"SENSOR_DECOMMISSIONED" }) @Nullable String reason) {
	}

	public static AlertView of(Alert alert) {
		return new AlertView(alert.id(), alert.ruleId(), alert.ruleName(), alert.type(), alert.sensorId(), alert.site(), alert.severity(),
				alert.state(), alert.openedAt(), alert.lastValue(), alert.peakValue(), alert.lastBreachAt(),
				alert.acknowledgedAt(), alert.resolvedAt(), null);
	}

	static AlertView withTimeline(Alert alert) {
		List<TimelineEntry> timeline = new ArrayList<>();
		timeline.add(new TimelineEntry("OPENED", alert.openedAt(), null, null, null));
		if (alert.acknowledgedAt() != null) {
			timeline.add(new TimelineEntry("ACKNOWLEDGED", alert.acknowledgedAt(), alert.acknowledgedBy(),
					alert.ackComment(), null));
		}
		if (alert.resolvedAt() != null) {
			timeline.add(new TimelineEntry("RESOLVED", alert.resolvedAt(), alert.resolvedBy(), alert.resolveComment(),
					alert.resolution()));
		}
		AlertView view = of(alert);
		return new AlertView(view.id(), view.ruleId(), view.ruleName(), view.type(), view.sensorId(), view.site(),
				view.severity(), view.state(), view.openedAt(), view.lastValue(), view.peakValue(),
				view.lastBreachAt(), view.acknowledgedAt(), view.resolvedAt(), List.copyOf(timeline));
	}

}
