package com.acme.iot.alerts.notifications;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.acme.iot.alerts.lifecycle.Severity;

/**
 * Where alert changes of at least {@code minSeverity} are sent: {@code url} for webhooks and Slack (plus an
 * optional HMAC {@code secret} for webhooks), {@code recipients} for e-mail.
 */
record NotificationChannel(UUID id, String name, ChannelType type, Severity minSeverity, boolean enabled,
		@Nullable String url, @Nullable String secret, List<String> recipients, Instant createdAt,
		Instant updatedAt) {
}
