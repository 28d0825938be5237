package com.acme.iot.alerts.lifecycle;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
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
	@Operation(summary = "Alerts, newest first, filtered by state, severity, sensor and site")
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
	@Operation(summary = "Server-sent events named 'alert': {\"change\":\"OPENED|UPDATED|ACKNOWLEDGED|RESOLVED\",\"alert\":{…}}")
	SseEmitter stream() {
		return this.stream.subscribe();
	}

	@GetMapping("/api/alerts/{id}")
	@Operation(summary = "One alert with its timeline")
	AlertView get(@PathVariable UUID id) {
		return AlertView.withTimeline(this.alerts.get(id));
	}

	@PostMapping("/api/alerts/{id}/acknowledge")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Acknowledge an open alert, with a comment")
	AlertView acknowledge(@PathVariable UUID id, @RequestBody(required = false) @Nullable CommentRequest request,
			Authentication caller) {
		return AlertView.withTimeline(this.alerts.acknowledge(id, caller.getName(), comment(request)));
	}

	@PostMapping("/api/alerts/{id}/resolve")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Resolve an open or acknowledged alert by hand")
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

	record CommentRequest(@Nullable String comment) {
	}

}
