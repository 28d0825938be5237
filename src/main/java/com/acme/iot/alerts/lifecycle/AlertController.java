package com.acme.iot.alerts.lifecycle;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.platform.web.PageResponse;

@RestController
@PreAuthorize("hasRole('READER')")
@Tag(name = "Alerts", description = "Alerts raised by rules and by silent sensors")
class AlertController {

	private final AlertManagement alerts;

	private final AlertStream stream;

	AlertController(AlertManagement alerts, AlertStream stream) {
		this.alerts = alerts;
		this.stream = stream;
	}

	@GetMapping("/api/alerts")
	@Operation(operationId = "listAlerts", summary = "Alerts, newest first, filtered by state, severity, sensor and site")
	PageResponse<AlertView> list(@RequestParam(required = false) @Nullable AlertState state,
			@RequestParam(required = false) @Nullable Severity severity,
			@RequestParam(required = false) @Nullable UUID sensorId,
			@RequestParam(required = false) @Nullable String site,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.alerts.search(new Alerts.AlertFilter(state, severity, sensorId, site), page, size)
			.map(AlertView::of);
	}

	@GetMapping(path = "/api/alerts/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamAlerts", summary = "Server-sent events: every change of any alert as it happens",
			description = "Events are named alert; their data says what changed and the alert as it is now. Comments "
					+ "keep the connection alive.")
	@ApiResponse(responseCode = "200", description = "An endless stream of alert events",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					array = @ArraySchema(schema = @Schema(implementation = AlertEvent.class))))
	SseEmitter stream() {
		return this.stream.subscribe();
	}

	@GetMapping("/api/alerts/{id}")
	@Operation(operationId = "getAlert", summary = "One alert with its timeline")
	@ApiResponse(responseCode = "200", description = "The alert")
	@ApiResponse(responseCode = "404", description = "No alert has this id")
	AlertView get(@PathVariable UUID id) {
		return AlertView.withTimeline(this.alerts.get(id));
	}

	@PostMapping("/api/alerts/{id}/acknowledge")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "acknowledgeAlert", summary = "Acknowledge an open alert, with an optional comment")
	@ApiResponse(responseCode = "200", description = "The acknowledged alert")
	@ApiResponse(responseCode = "404", description = "No alert has this id")
	@ApiResponse(responseCode = "409", description = "The alert is not open")
	AlertView acknowledge(@PathVariable UUID id, @RequestBody(required = false) @Nullable CommentRequest request,
			Authentication caller) {
		return AlertView.withTimeline(this.alerts.acknowledge(id, caller.getName(), comment(request)));
	}

	@PostMapping("/api/alerts/{id}/resolve")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "resolveAlert", summary = "Resolve an open or acknowledged alert by hand")
	@ApiResponse(responseCode = "200", description = "The resolved alert")
	@ApiResponse(responseCode = "404", description = "No alert has this id")
	@ApiResponse(responseCode = "409", description = "The alert is already resolved")
	AlertView resolve(@PathVariable UUID id, @RequestBody(required = false) @Nullable CommentRequest request,
			Authentication caller) {
		return AlertView.withTimeline(this.alerts.resolveManually(id, caller.getName(), comment(request)));
	}

	private static @Nullable String comment(@Nullable CommentRequest request) {
		if (request == null || request.comment() == null || request.comment().isBlank()) {
			return null;
		}
		if (request.comment().length() > 1000) {
			throw ApiProblem.invalid(FieldProblem.of("comment", "must be at most 1000 characters"));
		}
		return request.comment().strip();
	}

	record CommentRequest(@Schema(maxLength = 1000) @Nullable String comment) {
	}

	/** Documents one event of the alert stream. */
	@Schema(description = "One server-sent event of the alert stream; data is a JSON document on the wire")
	record AlertEvent(@Schema(allowableValues = "alert") String event,
			@Schema(description = "The alert's id") UUID id, AlertEventData data) {
	}

	/** Documents the data of an alert event. */
	record AlertEventData(AlertChange change, AlertView alert) {
	}

}
