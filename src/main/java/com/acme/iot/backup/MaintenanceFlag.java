package com.acme.iot.backup;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.maintenance.MaintenanceMode;

/**
 * Owns the maintenance flag (table {@code backup_maintenance}) and keeps this replica's {@link MaintenanceMode}
 * in step with it by polling, so every replica stops writes within seconds of a restore starting. The replica
 * that set the flag keeps a heartbeat on it; a flag whose owner died is cleared by the others.
 */
@Component
class MaintenanceFlag implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(MaintenanceFlag.class);

	private static final int STALE_AFTER_SECONDS = 60;

	private final JdbcTemplate jdbc;

	private final MaintenanceMode mode;

	private final BackupMetrics metrics;

	private final DatabaseLocks locks;

	private final BackupSettings settings;

	private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/"
			+ UUID.randomUUID().toString().substring(0, 8);

	private volatile ScheduledExecutorService poller;

	MaintenanceFlag(DataSource dataSource, MaintenanceMode mode, BackupMetrics metrics, DatabaseLocks locks,
			BackupSettings settings) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.mode = mode;
		this.metrics = metrics;
		this.locks = locks;
		this.settings = settings;
	}

	/** Raises the flag for the whole cluster; this replica sees it at once, the others at their next poll. */
	void enter(String reason) {
		this.jdbc.update("""
				insert into backup_maintenance (id, reason, since, owner, heartbeat_at)
				values (1, ?, now(), ?, now())
				on conflict (id) do update set reason = excluded.reason, owner = excluded.owner,
				    heartbeat_at = excluded.heartbeat_at""", reason, this.owner);
		log.warn("Maintenance entered: {}", reason);
		poll();
	}

	void leave() {
		this.jdbc.update("delete from backup_maintenance");
		log.warn("Maintenance left");
		poll();
	}

	void poll() {
		List<MaintenanceMode.State> rows = this.jdbc.query("""
				select reason, since, owner, heartbeat_at < now() - make_interval(secs => ?) as stale
				from backup_maintenance""", (result, row) -> {
			String rowOwner = result.getString("owner");
			if (this.owner.equals(rowOwner)) {
				this.jdbc.update("update backup_maintenance set heartbeat_at = now() where owner = ?", this.owner);
			}
			else if (result.getBoolean("stale") && !this.locks.isHeldAnywhere(DatabaseLocks.Kind.RESTORE)) {
				this.jdbc.update("delete from backup_maintenance where owner = ?", rowOwner);
				log.warn("Cleared the maintenance flag of {}: it stopped its heartbeat and no restore runs", rowOwner);
				return null;
			}
			Timestamp since = result.getTimestamp("since");
			return new MaintenanceMode.State(result.getString("reason"), since.toInstant());
		}, STALE_AFTER_SECONDS);
		MaintenanceMode.State state = rows.isEmpty() ? null : rows.get(0);
		this.metrics.maintenance(state != null, state != null ? state.since() : Instant.EPOCH);
		// Publish changes of the flag only: the shared view is written when the database says something new.
		if (this.observedOnce && java.util.Objects.equals(state, this.lastObserved)) {
			return;
		}
		boolean changed = this.mode.isActive() != (state != null);
		this.lastObserved = state;
		this.observedOnce = true;
		this.mode.update(state);
		if (changed) {
			log.info(state != null ? "Maintenance active: " + state.reason() : "Maintenance over");
		}
	}

	private volatile MaintenanceMode.@org.jspecify.annotations.Nullable State lastObserved;

	private volatile boolean observedOnce;

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, "maintenance-poller");
			thread.setDaemon(true);
			return thread;
		});
		long interval = Math.max(100, this.settings.maintenancePollInterval().toMillis());
		executor.scheduleWithFixedDelay(() -> {
			try {
				poll();
			}
			catch (RuntimeException ex) {
				// the database may be briefly unreachable; the last known state stands until the next poll
				log.debug("Cannot read the maintenance flag: {}", ex.getMessage());
			}
		}, 0, interval, TimeUnit.MILLISECONDS);
		this.poller = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.poller;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.poller = null;
	}

	@Override
	public boolean isRunning() {
		return this.poller != null;
	}

}
