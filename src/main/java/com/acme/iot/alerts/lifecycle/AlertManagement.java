package com.acme.iot.alerts.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.acme.iot.alerts.notifications.NotificationOutbox;
import com.acme.iot.alerts.rules.AlertRule;
import com.acme.iot.alerts.rules.EvaluationStates;
import com.acme.iot.alerts.rules.MonitoredSensor;
import com.acme.iot.alerts.support.AlertMetrics;
import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.PageResponse;

/**
 * Every transition of an alert goes through here, so each one writes its notifications to the outbox in the
 * same transaction and reaches the stream and the metrics only once committed.
 */
@Service
public class AlertManagement {

	private static final Logger log = LoggerFactory.getLogger(AlertManagement.class);

	static final String SYSTEM = "system";

	private final Alerts alerts;

	private final EvaluationStates evaluations;

	private final NotificationOutbox outbox;

	private final AlertStream stream;

	private final AlertMetrics metrics;

	private final Clock clock;

	AlertManagement(Alerts alerts, EvaluationStates evaluations, NotificationOutbox outbox, AlertStream stream,
			AlertMetrics metrics, Clock clock) {
		this.alerts = alerts;
		this.evaluations = evaluations;
		this.outbox = outbox;
		this.stream = stream;
		this.metrics = metrics;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	PageResponse<Alert> search(Alerts.AlertFilter filter, int page, int size) {
		long total = this.alerts.count(filter);
		return new PageResponse<>(this.alerts.search(filter, (long) page * size, size), page, size, total);
	}

	@Transactional(readOnly = true)
	Alert get(UUID id) {
		return this.alerts.find(id).orElseThrow(() -> ApiProblem.notFound("Alert", id));
	}

	@Transactional
	Alert acknowledge(UUID id, String by, @Nullable String comment) {
		Alert alert = get(id);
		if (!this.alerts.acknowledge(id, this.clock.instant(), by, comment)) {
			throw ApiProblem.conflict("Alert " + id + " is " + alert.state() + "; only an OPEN alert can be acknowledged.");
		}
		return changed(id, AlertChange.ACKNOWLEDGED, by, comment);
	}

	@Transactional
	Alert resolveManually(UUID id, String by, @Nullable String comment) {
		Alert alert = get(id);
		if (!this.alerts.resolve(id, this.clock.instant(), by, "MANUAL", comment)) {
			throw ApiProblem.conflict("Alert " + id + " is already resolved.");
		}
		if (alert.ruleId() != null) {
			this.evaluations.requireRearm(alert.ruleId(), alert.sensorId());
		}
		return changed(id, AlertChange.RESOLVED, by, comment);
	}

	public Optional<Alert> openThreshold(AlertRule rule, MonitoredSensor sensor, double value, double peak,
			Instant breachAt) {
		Alert alert = new Alert(UUID.randomUUID(), rule.id(), rule.name(), AlertType.THRESHOLD, sensor.sensorId(),
				sensor.site(), rule.severity(), AlertState.OPEN, this.clock.instant(), value, peak, breachAt, null,
				null, null, null, null, null, null);
		return open(alert);
	}

	public Optional<Alert> openOffline(MonitoredSensor sensor, Severity severity) {
		Alert alert = new Alert(UUID.randomUUID(), null, null, AlertType.SENSOR_OFFLINE, sensor.sensorId(),
				sensor.site(), severity, AlertState.OPEN, this.clock.instant(), null, null, sensor.silentSince(),
				null, null, null, null, null, null, null);
		return open(alert);
	}

	private Optional<Alert> open(Alert alert) {
		if (!this.alerts.insertIfNoneActive(alert)) {
			return Optional.empty();
		}
		log.info("Opened {} {} alert {} for sensor {}{}", alert.severity(), alert.type(), alert.id(),
				alert.sensorId(), alert.ruleName() == null ? "" : " (rule '" + alert.ruleName() + "')");
		afterCommit(() -> this.metrics.opened(alert.severity(), alert.type()));
		return Optional.of(changed(alert.id(), AlertChange.OPENED, null, null));
	}

	/** New values of an active alert: shown on the stream, not notified. */
	public void recordValues(Alert alert, double lastValue, @Nullable Double peakValue, @Nullable Instant lastBreachAt) {
		this.alerts.recordValues(alert.id(), lastValue, peakValue, lastBreachAt);
		Alert updated = get(alert.id());
		AlertView view = AlertView.of(updated);
		afterCommit(() -> this.stream.publish(AlertChange.UPDATED, view));
	}

	/** Resolves an alert on the system's behalf; whether this call resolved it. */
	public boolean resolve(Alert alert, String reason) {
		if (!this.alerts.resolve(alert.id(), this.clock.instant(), SYSTEM, reason, null)) {
			return false;
		}
		log.info("Resolved {} alert {} for sensor {} ({})", alert.type(), alert.id(), alert.sensorId(), reason);
		changed(alert.id(), AlertChange.RESOLVED, SYSTEM, null);
		return true;
	}

	public List<Alert> activeOfSensor(UUID sensorId) {
		return this.alerts.findActiveBySensor(sensorId);
	}

	public List<Alert> activeOfRule(UUID ruleId) {
		return this.alerts.findActiveByRule(ruleId);
	}

	public Optional<Alert> activeOffline(UUID sensorId) {
		return this.alerts.findActiveOffline(sensorId);
	}

	public Optional<Alert> active(UUID ruleId, UUID sensorId) {
		return this.alerts.findActive(ruleId, sensorId);
	}

	private Alert changed(UUID id, AlertChange change, @Nullable String by, @Nullable String comment) {
		Alert alert = get(id);
		this.outbox.enqueue(alert, change, by, comment);
		AlertView view = AlertView.of(alert);
		afterCommit(() -> {
			this.stream.publish(change, view);
			if (change == AlertChange.RESOLVED) {
				this.metrics.resolved();
			}
		});
		return alert;
	}

	private static void afterCommit(Runnable action) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					action.run();
				}

			});
		}
		else {
			action.run();
		}
	}

}
