package com.acme.iot.alerts.notifications;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.acme.iot.alerts.lifecycle.AlertChange;

/**
 * One row of the outbox: one alert change for one channel, with its delivery status.
 */
record NotificationDelivery(UUID id, UUID channelId, UUID alertId, AlertChange event, String payload, String status,
		int attempts, Instant nextAttemptAt, @Nullable String lastError, Instant createdAt,
		@Nullable Instant deliveredAt) {

	static final String PENDING = "PENDING";

	static final String DELIVERED = "DELIVERED";

	static final String FAILED = "FAILED";

}
