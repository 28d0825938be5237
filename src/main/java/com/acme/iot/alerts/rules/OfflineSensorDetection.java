package com.acme.iot.alerts.rules;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.iot.alerts.lifecycle.AlertManagement;
import com.acme.iot.alerts.support.AlertSettings;
import com.acme.iot.platform.maintenance.MaintenanceMode;

/**
 * Opens a {@code SENSOR_OFFLINE} alert for every active sensor silent for longer than its
 * {@code offlineAfter}; one replica runs it per tick. The next readings of the sensor resolve the alert.
 */
@Component
public class OfflineSensorDetection {

	private static final Logger log = LoggerFactory.getLogger(OfflineSensorDetection.class);

	private final MonitoredSensors sensors;

	private final AlertManagement alerts;

	private final MaintenanceMode maintenance;

	private final TransactionTemplate transactions;

	private final AlertSettings settings;

	private final Clock clock;

	OfflineSensorDetection(MonitoredSensors sensors, AlertManagement alerts, MaintenanceMode maintenance,
			TransactionTemplate transactions, AlertSettings settings, Clock clock) {
		this.sensors = sensors;
		this.alerts = alerts;
		this.maintenance = maintenance;
		this.transactions = transactions;
		this.settings = settings;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${iot.alerts.offline-check-interval:PT30S}", initialDelayString = "PT10S")
	// Each replica's fixed-delay timer has its own phase: holding the lock for one interval keeps the other
	// replicas' ticks of that interval from running the check again (the interval must stay <= lockAtMostFor).
	@SchedulerLock(name = "alerts-offline-detection", lockAtMostFor = "PT5M",
			lockAtLeastFor = "${iot.alerts.offline-check-interval:PT30S}")
	void scheduledCheck() {
		if (this.maintenance.isActive()) {
			log.debug("Offline detection skipped: maintenance in progress");
			return;
		}
		check();
	}

	/** Opens the offline alerts due now; how many it opened. */
	public int check() {
		Instant now = this.clock.instant();
		int opened = 0;
		for (UUID id : this.sensors.silentWithoutOfflineAlert(now)) {
			Boolean done = this.transactions.execute(status -> this.sensors.lock(id)
				.filter(MonitoredSensor::active)
				.filter(sensor -> sensor.silentSince().plus(sensor.offlineAfter()).isBefore(now))
				.flatMap(sensor -> this.alerts.openOffline(sensor, this.settings.offlineSeverity()))
				.isPresent());
			opened += Boolean.TRUE.equals(done) ? 1 : 0;
		}
		return opened;
	}

}
