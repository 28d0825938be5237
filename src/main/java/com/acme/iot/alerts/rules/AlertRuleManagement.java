package com.acme.iot.alerts.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.acme.iot.alerts.lifecycle.Alert;
import com.acme.iot.alerts.lifecycle.AlertManagement;
import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.platform.web.PageResponse;
import com.acme.iot.sensors.SensorId;
import com.acme.iot.sensors.SensorKind;
import com.acme.iot.sensors.SensorManagement;

/**
 * Creates, changes and deletes alert rules. A change starts the rule's evaluation afresh; disabling or
 * deleting a rule resolves its alerts.
 */
@Service
class AlertRuleManagement {

	private static final Logger log = LoggerFactory.getLogger(AlertRuleManagement.class);

	private static final Duration LONGEST_FOR_DURATION = Duration.ofDays(7);

	private final AlertRules rules;

	private final EvaluationStates evaluations;

	private final AlertManagement alerts;

	private final MonitoredSensors monitored;

	private final SensorManagement sensors;

	private final Clock clock;

	AlertRuleManagement(AlertRules rules, EvaluationStates evaluations, AlertManagement alerts,
			MonitoredSensors monitored, SensorManagement sensors, Clock clock) {
		this.rules = rules;
		this.evaluations = evaluations;
		this.alerts = alerts;
		this.monitored = monitored;
		this.sensors = sensors;
		this.clock = clock;
	}

	/** A rule as the API reads and writes it; absent fields take their defaults. */
	record RuleDraft(@Nullable String name, @Nullable Scope scope, @Nullable Condition condition,
			@Nullable Double threshold, @Nullable Double clearThreshold, @Nullable Duration forDuration,
			@Nullable Severity severity, @Nullable Boolean enabled) {

		static RuleDraft of(AlertRule rule) {
			// A clear threshold equal to the threshold is the default, so that patching the threshold moves it too.
			Double clearThreshold = rule.clearThreshold() == rule.threshold() ? null : rule.clearThreshold();
			return new RuleDraft(rule.name(), new Scope(rule.sensorId(), rule.kind(), rule.site()), rule.condition(),
					rule.threshold(), clearThreshold, rule.forDuration(), rule.severity(), rule.enabled());
		}

	}

	/** Either one sensor, or a kind and/or a site. */
	record Scope(@Nullable UUID sensorId, @Nullable SensorKind kind, @Nullable String site) {
	}

	@Transactional
	AlertRule create(RuleDraft draft) {
		Instant now = this.clock.instant();
		AlertRule rule = validate(UUID.randomUUID(), draft, now, now);
		this.rules.insert(rule);
		log.info("Created alert rule {} '{}'", rule.id(), rule.name());
		return rule;
	}

	@Transactional(readOnly = true)
	AlertRule get(UUID id) {
		return this.rules.find(id).orElseThrow(() -> ApiProblem.notFound("Alert rule", id));
	}

	@Transactional(readOnly = true)
	PageResponse<AlertRule> list(int page, int size) {
		return new PageResponse<>(this.rules.page((long) page * size, size), page, size, this.rules.count());
	}

	@Transactional
	AlertRule update(UUID id, UnaryOperator<RuleDraft> change) {
		AlertRule current = this.rules.lock(id).orElseThrow(() -> ApiProblem.notFound("Alert rule", id));
		AlertRule changed = validate(id, change.apply(RuleDraft.of(current)), current.createdAt(),
				this.clock.instant());
		this.rules.update(changed);
		this.evaluations.forgetRule(id);
		for (Alert alert : this.alerts.activeOfRule(id)) {
			if (!changed.enabled()) {
				this.alerts.resolve(alert, "RULE_DISABLED");
			}
			else if (!this.monitored.find(alert.sensorId()).map(changed::appliesTo).orElse(false)) {
				this.alerts.resolve(alert, "RULE_NO_LONGER_APPLIES");
			}
		}
		return changed;
	}

	@Transactional
	void delete(UUID id) {
		this.rules.lock(id).orElseThrow(() -> ApiProblem.notFound("Alert rule", id));
		for (Alert alert : this.alerts.activeOfRule(id)) {
			this.alerts.resolve(alert, "RULE_DELETED");
		}
		this.rules.delete(id);
		log.info("Deleted alert rule {}", id);
	}

	private AlertRule validate(UUID id, RuleDraft draft, Instant createdAt, Instant updatedAt) {
		List<FieldProblem> problems = new ArrayList<>();
		String name = draft.name() == null ? null : draft.name().strip();
		if (name == null || name.isEmpty()) {
			problems.add(FieldProblem.of("name", "is required"));
		}
		else if (name.length() > 100) {
			problems.add(FieldProblem.of("name", "must be at most 100 characters"));
		}
		Scope scope = draft.scope();
		String site = null;
		if (scope == null) {
			problems.add(FieldProblem.of("scope", "is required: {\"sensorId\":…} or {\"kind\":…,\"site\":…}"));
		}
		else {
			site = scope.site() == null ? null : scope.site().strip();
			if (scope.sensorId() != null && (scope.kind() != null || site != null)) {
				problems.add(FieldProblem.of("scope", "gives either a sensorId or a kind and/or site, not both"));
			}
			else if (scope.sensorId() == null && scope.kind() == null && (site == null || site.isEmpty())) {
				problems.add(FieldProblem.of("scope", "needs a sensorId, or a kind and/or a site"));
			}
			else if (scope.sensorId() != null && this.sensors.find(new SensorId(scope.sensorId())).isEmpty()) {
				problems.add(FieldProblem.of("scope.sensorId", "no sensor has this id"));
			}
			if (site != null && site.length() > 100) {
				problems.add(FieldProblem.of("scope.site", "must be at most 100 characters"));
			}
		}
		if (draft.condition() == null) {
			problems.add(FieldProblem.of("condition", "is required; one of [ABOVE, BELOW]"));
		}
		if (draft.threshold() == null || !Double.isFinite(draft.threshold())) {
			problems.add(FieldProblem.of("threshold", "is required and must be a finite number"));
		}
		if (draft.clearThreshold() != null && !Double.isFinite(draft.clearThreshold())) {
			problems.add(FieldProblem.of("clearThreshold", "must be a finite number"));
		}
		if (draft.condition() != null && draft.threshold() != null && draft.clearThreshold() != null
				&& !draft.condition().isValidClearThreshold(draft.threshold(), draft.clearThreshold())) {
			problems.add(FieldProblem.of("clearThreshold", draft.condition() == Condition.ABOVE
					? "must be less than or equal to threshold for ABOVE" : "must be greater than or equal to threshold for BELOW"));
		}
		Duration forDuration = draft.forDuration() == null ? Duration.ZERO : draft.forDuration();
		if (forDuration.isNegative() || forDuration.compareTo(LONGEST_FOR_DURATION) > 0) {
			problems.add(FieldProblem.of("forDuration", "must be between PT0S and P7D"));
		}
		if (draft.severity() == null) {
			problems.add(FieldProblem.of("severity", "is required; one of [CRITICAL, MAJOR, MINOR, WARNING]"));
		}
		if (!problems.isEmpty()) {
			throw ApiProblem.invalid(problems.get(0).field() + ": " + problems.get(0).message(), problems);
		}
		double threshold = draft.threshold();
		return new AlertRule(id, name, scope.sensorId(), scope.kind(), site == null || site.isEmpty() ? null : site,
				draft.condition(), threshold, draft.clearThreshold() == null ? threshold : draft.clearThreshold(),
				forDuration, draft.severity(), draft.enabled() == null || draft.enabled(), createdAt, updatedAt);
	}

}
