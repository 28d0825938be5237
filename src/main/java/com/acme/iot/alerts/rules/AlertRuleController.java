package com.acme.iot.alerts.rules;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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

import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.alerts.rules.AlertRuleManagement.RuleDraft;
import com.acme.iot.alerts.support.MergePatch;
import com.acme.iot.platform.web.PageResponse;
import com.acme.iot.sensors.SensorKind;

@RestController
@PreAuthorize("hasRole('READER')")
@Tag(name = "Alert rules", description = "Threshold rules with hysteresis that open alerts")
class AlertRuleController {

	private final AlertRuleManagement rules;

	private final JsonMapper json;

	AlertRuleController(AlertRuleManagement rules, JsonMapper json) {
		this.rules = rules;
		this.json = json;
	}

	@PostMapping("/api/alert-rules")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Create a rule scoped to one sensor, or to every sensor of a kind and/or site")
	ResponseEntity<RuleView> create(@RequestBody RuleDraft draft) {
		RuleView body = RuleView.of(this.rules.create(draft));
		return ResponseEntity.created(URI.create("/api/alert-rules/" + body.id())).body(body);
	}

	@GetMapping("/api/alert-rules")
	@Operation(summary = "Rules, oldest first")
	PageResponse<RuleView> list(@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.rules.list(page, size).map(RuleView::of);
	}

	@GetMapping("/api/alert-rules/{id}")
	@Operation(summary = "One rule")
	RuleView get(@PathVariable UUID id) {
		return RuleView.of(this.rules.get(id));
	}

	@PatchMapping(path = "/api/alert-rules/{id}",
			consumes = { "application/merge-patch+json", MediaType.APPLICATION_JSON_VALUE })
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Change a rule (JSON merge patch; scope is replaced whole); its evaluation starts afresh")
	RuleView patch(@PathVariable UUID id, @RequestBody JsonNode patch) {
		return RuleView.of(this.rules.update(id, current -> MergePatch.apply(this.json, current, patch, RuleDraft.class)));
	}

	@DeleteMapping("/api/alert-rules/{id}")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Delete a rule; its open alerts resolve")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.rules.delete(id);
		return ResponseEntity.noContent().build();
	}

	record RuleView(String id, String name, ScopeView scope, Condition condition, double threshold,
			double clearThreshold, Duration forDuration, Severity severity, boolean enabled, Instant createdAt,
			Instant updatedAt) {

		static RuleView of(AlertRule rule) {
			return new RuleView(rule.id().toString(), rule.name(),
					new ScopeView(rule.sensorId() == null ? null : rule.sensorId().toString(), rule.kind(), rule.site()),
					rule.condition(), rule.threshold(), rule.clearThreshold(), rule.forDuration(), rule.severity(),
					rule.enabled(), rule.createdAt(), rule.updatedAt());
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ScopeView(@Nullable String sensorId, @Nullable SensorKind kind, @Nullable String site) {
	}

}
