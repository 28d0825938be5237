package com.acme.iot.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The meters the alert rules watch: a backup older than 26 h, a failed drill, a stuck maintenance.
 */
@Component
class BackupMetrics {

	private final MeterRegistry registry;

	private final AtomicLong lastSuccess = new AtomicLong();

	private final AtomicLong lastSize = new AtomicLong();

	private final AtomicLong backupRunning = new AtomicLong();

	private final AtomicLong restoreRunning = new AtomicLong();

	private final AtomicLong drillLastSuccess = new AtomicLong();

	private final AtomicLong drillLastOutcome = new AtomicLong(1);

	private final AtomicLong maintenanceActive = new AtomicLong();

	private final AtomicLong maintenanceSince = new AtomicLong();

	private final Timer duration;

	BackupMetrics(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("iot.backup.last.success.timestamp.seconds", this.lastSuccess, AtomicLong::get)
			.description("When the last successful backup finished (epoch seconds)")
			.register(registry);
		Gauge.builder("iot.backup.size.bytes", this.lastSize, AtomicLong::get)
			.description("Size of the last successful backup")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("iot.backup.running", this.backupRunning, AtomicLong::get)
			.description("1 while this replica takes a backup")
			.register(registry);
		Gauge.builder("iot.restore.running", this.restoreRunning, AtomicLong::get)
			.description("1 while this replica restores a backup")
			.register(registry);
		Gauge.builder("iot.restore.drill.last.success.timestamp.seconds", this.drillLastSuccess, AtomicLong::get)
			.description("When the last successful restore drill finished (epoch seconds)")
			.register(registry);
		Gauge.builder("iot.restore.drill.last.outcome", this.drillLastOutcome, AtomicLong::get)
			.description("1 when the last restore drill succeeded, 0 when it failed")
			.register(registry);
		Gauge.builder("iot.maintenance.active", this.maintenanceActive, AtomicLong::get)
			.description("1 while the service is in maintenance")
			.register(registry);
		Gauge.builder("iot.maintenance.since.timestamp.seconds", this.maintenanceSince, AtomicLong::get)
			.description("Since when the service is in maintenance (epoch seconds), 0 when it is not")
			.register(registry);
		this.duration = Timer.builder("iot.backup.duration").description("Duration of successful backups").register(registry);
		for (String outcome : new String[] { "succeeded", "failed" }) {
			for (String target : new String[] { "live", "scratch" }) {
				restores(outcome, target);
			}
		}
	}

	void backupStarted() {
		this.backupRunning.set(1);
	}

	void backupSucceeded(Instant finishedAt, Duration took, long size) {
		this.backupRunning.set(0);
		this.lastSuccess.set(finishedAt.getEpochSecond());
		this.lastSize.set(size);
		this.duration.record(took);
	}

	void backupFailed(String reason) {
		this.backupRunning.set(0);
		Counter.builder("iot.backup.failures").description("Failed backups by reason").tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	/** Seeds the gauges from the store at start-up, so a restart does not look like a missing backup. */
	void lastKnownBackup(Instant finishedAt, long size) {
		if (finishedAt.getEpochSecond() > this.lastSuccess.get()) {
			this.lastSuccess.set(finishedAt.getEpochSecond());
			this.lastSize.set(size);
		}
	}

	void restoreRunning(boolean running) {
		this.restoreRunning.set(running ? 1 : 0);
	}

	void restoreFinished(boolean succeeded, boolean scratch, Instant at) {
		restores(succeeded ? "succeeded" : "failed", scratch ? "scratch" : "live").increment();
		if (scratch) {
			this.drillLastOutcome.set(succeeded ? 1 : 0);
			if (succeeded) {
				this.drillLastSuccess.set(at.getEpochSecond());
			}
		}
	}

	void lastKnownDrill(Instant at) {
		this.drillLastSuccess.compareAndSet(0, at.getEpochSecond());
	}

	void maintenance(boolean active, Instant since) {
		this.maintenanceActive.set(active ? 1 : 0);
		this.maintenanceSince.set(active ? since.getEpochSecond() : 0);
	}

	private Counter restores(String outcome, String target) {
		return Counter.builder("iot.restore").description("Finished restores by outcome and target")
			.tag("outcome", outcome)
			.tag("target", target)
			.register(this.registry);
	}

}
