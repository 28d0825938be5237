package com.acme.iot.alerts.rules;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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

import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.alerts.rules.AlertRuleManagement.RuleDraft;
import com.acme.iot.platform.web.JsonMergePatch;
import com.acme.iot.platform.web.PageResponse;
import com.acme.iot.sensors.SensorKind;

@RestController
@PreAuthorize("hasRole('READER')")
@Tag(name = "Alert rules", description = "Threshold rules with hysteresis that open alerts")
class AlertRuleController {

	private final AlertRuleManagement rules;

	private final JsonMergePatch mergePatch;

	AlertRuleController(AlertRuleManagement rules, JsonMergePatch mergePatch) {
		this.rules = rules;
		this.mergePatch = mergePatch;
	}

	@PostMapping("/api/alert-rules")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "createAlertRule",
			summary = "Create a rule scoped to one sensor, or to every sensor of a kind and/or site")
	@ApiResponse(responseCode = "201", description = "Created; Location is the rule's address",
			headers = @Header(name = "Location", description = "The new rule's address", required = true,
					schema = @Schema(type = "string", format = "uri-reference")))
	ResponseEntity<RuleView> create(@RequestBody RuleDraft draft) {
		RuleView body = RuleView.of(this.rules.create(draft));
		return ResponseEntity.created(URI.create("/api/alert-rules/" + body.id())).body(body);
	}

	@GetMapping("/api/alert-rules")
	@Operation(operationId = "listAlertRules", summary = "Rules, oldest first")
	PageResponse<RuleView> list(@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.rules.list(page, size).map(RuleView::of);
	}

	@GetMapping("/api/alert-rules/{id}")
	@Operation(operationId = "getAlertRule", summary = "One rule")
	@ApiResponse(responseCode = "200", description = "The rule")
	@ApiResponse(responseCode = "404", description = "No rule has this id")
	RuleView get(@PathVariable UUID id) {
		return RuleView.of(this.rules.get(id));
	}

	@PatchMapping(path = "/api/alert-rules/{id}",
			consumes = { JsonMergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE })
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "updateAlertRule",
			summary = "Change a rule (JSON merge patch, RFC 7396); its evaluation starts afresh",
			description = "A member set to null goes back to its default. scope is merged member by member like any "
					+ "object: to move a rule from a sensor to a kind, send {\"scope\":{\"sensorId\":null,\"kind\":\"CO2\"}}.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
					@Content(mediaType = JsonMergePatch.MEDIA_TYPE, schema = @Schema(implementation = RulePatch.class)),
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = RulePatch.class)) }))
	@ApiResponse(responseCode = "200", description = "The changed rule")
	@ApiResponse(responseCode = "404", description = "No rule has this id")
	RuleView patch(@PathVariable UUID id, @RequestBody JsonNode patch) {
		return RuleView.of(this.rules.update(id, current -> this.mergePatch.apply(current, patch, RuleDraft.class)));
	}

	@DeleteMapping("/api/alert-rules/{id}")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "deleteAlertRule", summary = "Delete a rule; its open alerts resolve")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@ApiResponse(responseCode = "404", description = "No rule has this id")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.rules.delete(id);
		return ResponseEntity.noContent().build();
	}

	@Schema(description = "JSON merge patch of a rule: only the members to change; null restores a default")
	record RulePatch(@Nullable String name, @Nullable ScopePatch scope, @Nullable Condition condition,
			@Nullable Double threshold, @Nullable Double clearThreshold,
			@Schema(example = "PT5M") @Nullable Duration forDuration, @Nullable Severity severity,
			@Nullable Boolean enabled) {
	}

	/** Documents the scope member of a rule patch. */
	record ScopePatch(@Nullable UUID sensorId, @Nullable SensorKind kind, @Nullable String site) {
	}

	record RuleView(UUID id, String name, ScopeView scope, Condition condition, double threshold,
			double clearThreshold, Duration forDuration, Severity severity, boolean enabled, Instant createdAt,
			Instant updatedAt) {

		static RuleView of(AlertRule rule) {
			return new RuleView(rule.id(), rule.name(), new ScopeView(rule.sensorId(), rule.kind(), rule.site()),
					rule.condition(), rule.threshold(), rule.clearThreshold(), rule.forDuration(), rule.severity(),
					rule.enabled(), rule.createdAt(), rule.updatedAt());
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ScopeView(@Nullable UUID sensorId, @Nullable SensorKind kind, @Nullable String site) {
	}

}
