package com.acme.iot.alerts.notifications;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import com.acme.iot.alerts.lifecycle.AlertChange;
import com.acme.iot.alerts.lifecycle.AlertType;
import com.acme.iot.alerts.lifecycle.AlertView;

/**
 * The body of a webhook notification, and what Slack and e-mail messages are written from; stored in the
 * outbox as it was when the alert changed.
 */
record NotificationPayload(AlertChange event, Instant occurredAt, AlertView alert,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String by,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String comment) {

	String headline() {
		String what = this.alert.type() == AlertType.SENSOR_OFFLINE ? "Sensor offline"
				: (this.alert.ruleName() == null ? "Threshold alert" : this.alert.ruleName());
		return "[" + this.alert.severity() + "] " + what + " " + this.event.name().toLowerCase(Locale.ROOT)
				+ " on sensor " + this.alert.sensorId() + " at site " + this.alert.site();
	}

	String details() {
		StringBuilder text = new StringBuilder();
		text.append("Alert ").append(this.alert.id()).append(", state ").append(this.alert.state());
		if (this.alert.lastValue() != null) {
			text.append(", last value ").append(this.alert.lastValue());
		}
		if (this.alert.peakValue() != null) {
			text.append(", peak ").append(this.alert.peakValue());
		}
		text.append(", opened at ").append(this.alert.openedAt());
		if (this.by != null) {
			text.append(", by ").append(this.by);
		}
		if (this.comment != null) {
			text.append(": \"").append(this.comment).append('"');
		}
		return text.toString();
	}

}
