package com.acme.iot.alerts.rules;

import java.time.Clock;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import com.acme.iot.alerts.lifecycle.Alert;
import com.acme.iot.alerts.lifecycle.AlertManagement;
import com.acme.iot.sensors.SensorDecommissioned;
import com.acme.iot.sensors.SensorRegistered;
import com.acme.iot.sensors.SensorUpdated;

/**
 * Keeps the module's view of sensors current from the sensors module's events; a decommissioned sensor's
 * alerts resolve, and so do alerts of rules that no longer match a changed sensor.
 */
@Component
class SensorLifecycle {

	private final MonitoredSensors sensors;

	private final AlertRules rules;

	private final EvaluationStates evaluations;

	private final AlertManagement alerts;

	private final Clock clock;

	SensorLifecycle(MonitoredSensors sensors, AlertRules rules, EvaluationStates evaluations, AlertManagement alerts,
			Clock clock) {
		this.sensors = sensors;
		this.rules = rules;
		this.evaluations = evaluations;
		this.alerts = alerts;
		this.clock = clock;
	}

	@ApplicationModuleListener
	void on(SensorRegistered event) {
		this.sensors.registered(event.sensorId().value(), event.kind(), event.site(), event.offlineAfter(),
				this.clock.instant());
	}

	@ApplicationModuleListener
	void on(SensorUpdated event) {
		this.sensors.updated(event.sensorId().value(), event.kind(), event.site(), event.offlineAfter());
		this.sensors.find(event.sensorId().value()).ifPresent(sensor -> {
			for (Alert alert : this.alerts.activeOfSensor(sensor.sensorId())) {
				boolean stillApplies = alert.ruleId() == null || this.rules.find(alert.ruleId())
					.filter(AlertRule::enabled)
					.map(rule -> rule.appliesTo(sensor))
					.orElse(false);
				if (!stillApplies) {
					this.alerts.resolve(alert, "RULE_NO_LONGER_APPLIES");
				}
			}
		});
	}

	@ApplicationModuleListener
	void on(SensorDecommissioned event) {
		this.sensors.decommissioned(event.sensorId().value());
		for (Alert alert : this.alerts.activeOfSensor(event.sensorId().value())) {
			this.alerts.resolve(alert, "SENSOR_DECOMMISSIONED");
		}
		this.evaluations.forgetSensor(event.sensorId().value());
	}

}
