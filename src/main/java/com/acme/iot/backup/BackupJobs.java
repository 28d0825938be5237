package com.acme.iot.backup;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.maintenance.MaintenanceMode;

/**
 * The scheduled backup, retention and weekly restore drill. ShedLock picks one replica per slot; its
 * {@code lockAtLeastFor} keeps a replica whose clock fires a little later from running the same slot again.
 */
@Component
@ConditionalOnProperty(name = "iot.scheduling.enabled", havingValue = "true", matchIfMissing = true)
class BackupJobs {

	private static final Logger log = LoggerFactory.getLogger(BackupJobs.class);

	private final Backups backups;

	private final Restores restores;

	private final MaintenanceMode maintenance;

	BackupJobs(Backups backups, Restores restores, MaintenanceMode maintenance) {
		this.backups = backups;
		this.restores = restores;
		this.maintenance = maintenance;
	}

	@Scheduled(cron = "${iot.backup.schedule:0 0 2 * * *}", zone = "UTC")
	@SchedulerLock(name = "backup", lockAtMostFor = "${iot.backup.lock-at-most-for:PT12H}", lockAtLeastFor = "PT1M")
	void scheduledBackup() {
		if (this.maintenance.isActive()) {
			log.info("Scheduled backup skipped: the service is in maintenance");
			return;
		}
		try {
			this.backups.runScheduled();
		}
		catch (BackupException ex) {
			// already logged and counted by Backups; the next slot tries again
		}
		this.backups.applyRetention();
	}

	@Scheduled(cron = "${iot.backup.drill-schedule:0 0 4 * * SUN}", zone = "UTC")
	@SchedulerLock(name = "backup-drill", lockAtMostFor = "${iot.backup.lock-at-most-for:PT12H}", lockAtLeastFor = "PT1M")
	void scheduledDrill() {
		if (!this.maintenance.isActive()) {
			this.restores.drillNewest();
		}
	}

}
