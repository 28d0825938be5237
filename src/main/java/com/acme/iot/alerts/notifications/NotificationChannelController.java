package com.acme.iot.alerts.notifications;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

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
import com.acme.iot.platform.web.JsonMergePatch;
import com.acme.iot.platform.web.PageResponse;

@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "Notification channels", description = "Where alert changes are delivered")
class NotificationChannelController {

	private final NotificationChannelManagement channels;

	private final JsonMergePatch mergePatch;

	NotificationChannelController(NotificationChannelManagement channels, JsonMergePatch mergePatch) {
		this.channels = channels;
		this.mergePatch = mergePatch;
	}

	@PostMapping("/api/notification-channels")
	@Operation(operationId = "createNotificationChannel", summary = "Create a WEBHOOK, SLACK or EMAIL channel")
	@ApiResponse(responseCode = "201", description = "Created; Location is the channel's address",
			headers = @Header(name = "Location", description = "The new channel's address", required = true,
					schema = @Schema(type = "string", format = "uri-reference")))
	@ApiResponse(responseCode = "409", description = "A channel with this name exists")
	ResponseEntity<ChannelView> create(@RequestBody ChannelDraft draft) {
		ChannelView body = ChannelView.of(this.channels.create(draft));
		return ResponseEntity.created(URI.create("/api/notification-channels/" + body.id())).body(body);
	}

	@GetMapping("/api/notification-channels")
	@Operation(operationId = "listNotificationChannels", summary = "Channels sorted by name; secrets are never returned")
	PageResponse<ChannelView> list(@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.channels.list(page, size).map(ChannelView::of);
	}

	@GetMapping("/api/notification-channels/{id}")
	@Operation(operationId = "getNotificationChannel", summary = "One channel")
	@ApiResponse(responseCode = "200", description = "The channel")
	@ApiResponse(responseCode = "404", description = "No channel has this id")
	ChannelView get(@PathVariable UUID id) {
		return ChannelView.of(this.channels.get(id));
	}

	@PatchMapping(path = "/api/notification-channels/{id}",
			consumes = { JsonMergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE })
	@Operation(operationId = "updateNotificationChannel",
			summary = "Change a channel (JSON merge patch, RFC 7396); its type cannot change",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
					@Content(mediaType = JsonMergePatch.MEDIA_TYPE, schema = @Schema(implementation = ChannelPatch.class)),
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = ChannelPatch.class)) }))
	@ApiResponse(responseCode = "200", description = "The changed channel")
	@ApiResponse(responseCode = "404", description = "No channel has this id")
	@ApiResponse(responseCode = "409", description = "Another channel has this name")
	ChannelView patch(@PathVariable UUID id, @RequestBody JsonNode patch) {
		return ChannelView
			.of(this.channels.update(id, current -> this.mergePatch.apply(current, patch, ChannelDraft.class)));
	}

	@DeleteMapping("/api/notification-channels/{id}")
	@Operation(operationId = "deleteNotificationChannel", summary = "Delete a channel and its delivery log")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@ApiResponse(responseCode = "404", description = "No channel has this id")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.channels.delete(id);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/api/notification-channels/{id}/deliveries")
	@Operation(operationId = "listNotificationDeliveries",
			summary = "The channel's delivery log, newest first: status, attempts, last error")
	@ApiResponse(responseCode = "200", description = "One page of deliveries")
	@ApiResponse(responseCode = "404", description = "No channel has this id")
	PageResponse<DeliveryView> deliveries(@PathVariable UUID id,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.channels.deliveries(id, page, size).map(DeliveryView::of);
	}

	@Schema(description = "JSON merge patch of a channel: only the members to change; null restores a default")
	record ChannelPatch(@Nullable String name, @Nullable ChannelType type, @Nullable Severity minSeverity,
			@Nullable Boolean enabled, @Nullable String url,
			@Schema(description = "Write-only: never returned", writeOnly = true) @Nullable String secret,
			@Nullable List<String> recipients) {
	}

	record ChannelView(UUID id, String name, ChannelType type, Severity minSeverity, boolean enabled,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String url,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> recipients,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean hasSecret, Instant createdAt,
			Instant updatedAt) {

		static ChannelView of(NotificationChannel channel) {
			return new ChannelView(channel.id(), channel.name(), channel.type(), channel.minSeverity(),
					channel.enabled(), url(channel), channel.recipients(),
					channel.type() == ChannelType.WEBHOOK ? channel.secret() != null : null, channel.createdAt(),
					channel.updatedAt());
		}

		/**
		 * A Slack incoming-webhook URL is itself a credential, and webhook URLs often carry one in their path or
		 * query: only the scheme and host are shown.
		 */
		private static @Nullable String url(NotificationChannel channel) {
			if (channel.url() == null) {
				return null;
			}
			try {
				URI uri = new URI(channel.url());
				return uri.getScheme() + "://" + uri.getHost() + "/***";
			}
			catch (java.net.URISyntaxException ex) {
				return "***";
			}
		}

	}

	record DeliveryView(UUID id, UUID alertId, AlertChange event,
			@Schema(allowableValues = { NotificationDelivery.PENDING, NotificationDelivery.DELIVERED,
					NotificationDelivery.FAILED }) String status,
			int attempts,
			Instant nextAttemptAt, @Nullable String lastError, Instant createdAt, @Nullable Instant deliveredAt) {

		static DeliveryView of(NotificationDelivery delivery) {
			return new DeliveryView(delivery.id(), delivery.alertId(), delivery.event(),
					delivery.status(), delivery.attempts(), delivery.nextAttemptAt(), delivery.lastError(),
					delivery.createdAt(), delivery.deliveredAt());
		}

	}

}
