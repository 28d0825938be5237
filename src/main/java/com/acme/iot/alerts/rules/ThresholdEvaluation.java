package com.acme.iot.alerts.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import com.acme.iot.alerts.lifecycle.Alert;
import com.acme.iot.alerts.lifecycle.AlertManagement;
import com.acme.iot.alerts.support.AlertMetrics;
import com.acme.iot.readings.ReadingsRecorded;
import com.acme.iot.readings.RecordedReading;

/**
 * Evaluates newly recorded readings against the rules that watch their sensor, in measurement-time order:
 * opens an alert once the condition has held for the rule's {@code forDuration}, updates it while it goes on,
 * and resolves it when a value crosses the clear threshold. A reading older than what a rule already evaluated
 * for that sensor arrived late and does not change the state.
 */
@Component
class ThresholdEvaluation {

	private final MonitoredSensors sensors;

	private final AlertRules rules;

	private final EvaluationStates evaluations;

	private final AlertManagement alerts;

	private final AlertMetrics metrics;

	private final Clock clock;

	ThresholdEvaluation(MonitoredSensors sensors, AlertRules rules, EvaluationStates evaluations,
			AlertManagement alerts, AlertMetrics metrics, Clock clock) {
		this.sensors = sensors;
		this.rules = rules;
		this.evaluations = evaluations;
		this.alerts = alerts;
		this.metrics = metrics;
		this.clock = clock;
	}

	@ApplicationModuleListener
	void on(ReadingsRecorded event) {
		if (event.readings().isEmpty()) {
			return;
		}
		Optional<MonitoredSensor> found = this.sensors.lock(event.sensorId().value());
		if (found.isEmpty()) {
			return;
		}
		MonitoredSensor sensor = found.get();
		Instant now = this.clock.instant();
		this.sensors.readingsReceived(sensor.sensorId(), now);
		this.alerts.activeOffline(sensor.sensorId()).ifPresent(offline -> this.alerts.resolve(offline, "SENSOR_BACK_ONLINE"));
		if (sensor.active()) {
			List<RecordedReading> readings = event.readings()
				.stream()
				.sorted(Comparator.comparing(RecordedReading::time))
				.toList();
			for (AlertRule rule : this.rules.applicableTo(sensor)) {
				evaluate(rule, sensor, readings);
			}
			this.metrics.evaluationLag(Duration.between(readings.get(readings.size() - 1).time(), now));
		}
	}

	private void evaluate(AlertRule rule, MonitoredSensor sensor, List<RecordedReading> readings) {
		EvaluationState state = this.evaluations.find(rule.id(), sensor.sensorId());
		Tracked tracked = new Tracked(this.alerts.active(rule.id(), sensor.sensorId()).orElse(null));
		Instant lastEvaluatedAt = state.lastEvaluatedAt();
		Instant breachSince = state.breachSince();
		Double pendingPeak = state.pendingPeak();
		boolean rearmRequired = state.rearmRequired();
		for (RecordedReading reading : readings) {
			if (lastEvaluatedAt != null && !reading.time().isAfter(lastEvaluatedAt)) {
				continue;
			}
			lastEvaluatedAt = reading.time();
			double value = reading.value();
			boolean breaches = rule.condition().breaches(value, rule.threshold());
			boolean clears = rule.condition().clears(value, rule.clearThreshold());
			if (tracked.alert != null) {
				if (breaches) {
					tracked.breach(rule.condition(), value, reading.time());
				}
				else if (clears) {
					tracked.flush(this.alerts);
					this.alerts.resolve(tracked.alert, "CLEARED");
					tracked = new Tracked(null);
					breachSince = null;
					pendingPeak = null;
				}
				else {
					tracked.value(value);
				}
				continue;
			}
			if (clears) {
				rearmRequired = false;
			}
			if (breaches && !rearmRequired) {
				pendingPeak = (breachSince == null || pendingPeak == null) ? value
						: rule.condition().worse(pendingPeak, value);
				breachSince = (breachSince == null) ? reading.time() : breachSince;
				if (Duration.between(breachSince, reading.time()).compareTo(rule.forDuration()) >= 0) {
					tracked = new Tracked(
							this.alerts.openThreshold(rule, sensor, value, pendingPeak, reading.time()).orElse(null));
					breachSince = null;
					pendingPeak = null;
				}
			}
			else if (!breaches) {
				breachSince = null;
				pendingPeak = null;
			}
		}
		tracked.flush(this.alerts);
		this.evaluations.save(new EvaluationState(rule.id(), sensor.sensorId(), lastEvaluatedAt, breachSince,
				pendingPeak, rearmRequired));
	}

	/** An active alert's values changed by this batch, written once at the end instead of once per reading. */
	private static final class Tracked {

		private final @Nullable Alert alert;

		private @Nullable Double lastValue;

		private @Nullable Double peakValue;

		private @Nullable Instant lastBreachAt;

		private boolean dirty;

		Tracked(@Nullable Alert alert) {
			this.alert = alert;
			if (alert != null) {
				this.lastValue = alert.lastValue();
				this.peakValue = alert.peakValue();
				this.lastBreachAt = alert.lastBreachAt();
			}
		}

		void breach(Condition condition, double value, Instant at) {
			this.lastValue = value;
			this.peakValue = this.peakValue == null ? value : condition.worse(this.peakValue, value);
			this.lastBreachAt = at;
			this.dirty = true;
		}

		void value(double value) {
			this.lastValue = value;
			this.dirty = true;
		}

		void flush(AlertManagement alerts) {
			if (this.dirty && this.alert != null && this.lastValue != null) {
				alerts.recordValues(this.alert, this.lastValue, this.peakValue, this.lastBreachAt);
				this.dirty = false;
			}
		}

	}

}
