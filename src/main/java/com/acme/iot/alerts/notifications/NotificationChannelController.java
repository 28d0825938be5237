package com.acme.iot.alerts.notifications;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.acme.iot.alerts.lifecycle.AlertChange;
import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.alerts.notifications.NotificationChannelManagement.ChannelDraft;
import com.acme.iot.alerts.support.MergePatch;
import com.acme.iot.platform.web.PageResponse;

@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "Notification channels", description = "Where alert changes are delivered")
class NotificationChannelController {

	private final NotificationChannelManagement channels;

	private final JsonMapper json;

	NotificationChannelController(NotificationChannelManagement channels, JsonMapper json) {
		this.channels = channels;
		this.json = json;
	}

	@PostMapping("/api/notification-channels")
	@Operation(summary = "Create a WEBHOOK, SLACK or EMAIL channel")
	ResponseEntity<ChannelView> create(@RequestBody ChannelDraft draft) {
		ChannelView body = ChannelView.of(this.channels.create(draft));
		return ResponseEntity.created(URI.create("/api/notification-channels/" + body.id())).body(body);
	}

	@GetMapping("/api/notification-channels")
	@Operation(summary = "Channels sorted by name; secrets are never returned")
	PageResponse<ChannelView> list(@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.channels.list(page, size).map(ChannelView::of);
	}

	@GetMapping("/api/notification-channels/{id}")
	@Operation(summary = "One channel")
	ChannelView get(@PathVariable UUID id) {
		return ChannelView.of(this.channels.get(id));
	}

	@PatchMapping(path = "/api/notification-channels/{id}",
			consumes = { "application/merge-patch+json", MediaType.APPLICATION_JSON_VALUE })
	@Operation(summary = "Change a channel (JSON merge patch); its type cannot change")
	ChannelView patch(@PathVariable UUID id, @RequestBody JsonNode patch) {
		return ChannelView
			.of(this.channels.update(id, current -> MergePatch.apply(this.json, current, patch, ChannelDraft.class)));
	}

	@DeleteMapping("/api/notification-channels/{id}")
	@Operation(summary = "Delete a channel and its delivery log")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.channels.delete(id);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/api/notification-channels/{id}/deliveries")
	@Operation(summary = "The channel's delivery log, newest first: status, attempts, last error")
	PageResponse<DeliveryView> deliveries(@PathVariable UUID id,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.channels.deliveries(id, page, size).map(DeliveryView::of);
	}

	record ChannelView(String id, String name, ChannelType type, Severity minSeverity, boolean enabled,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String url,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> recipients,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean hasSecret, Instant createdAt,
			Instant updatedAt) {

		static ChannelView of(NotificationChannel channel) {
			return new ChannelView(channel.id().toString(), channel.name(), channel.type(), channel.minSeverity(),
					channel.enabled(), url(channel), channel.recipients(),
					channel.type() == ChannelType.WEBHOOK ? channel.secret() != null : null, channel.createdAt(),
					channel.updatedAt());
		}

		/** A Slack incoming-webhook URL is itself a credential: only its host is shown. */
		private static @Nullable String url(NotificationChannel channel) {
			if (channel.url() == null || channel.type() != ChannelType.SLACK) {
				return channel.url();
			}
			URI uri = URI.create(channel.url());
			return uri.getScheme() + "://" + uri.getHost() + "/***";
		}

	}

	record DeliveryView(String id, String alertId, AlertChange event, String status, int attempts,
			Instant nextAttemptAt, @Nullable String lastError, Instant createdAt, @Nullable Instant deliveredAt) {

		static DeliveryView of(NotificationDelivery delivery) {
			return new DeliveryView(delivery.id().toString(), delivery.alertId().toString(), delivery.event(),
					delivery.status(), delivery.attempts(), delivery.nextAttemptAt(), delivery.lastError(),
					delivery.createdAt(), delivery.deliveredAt());
		}

	}

}
