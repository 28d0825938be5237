package com.acme.iot.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The {@code backup} health component: pg_dump present and able to dump this server's major version. The
 * check spawns pg_dump, so its result is kept for a few minutes rather than run on every probe.
 */
@Component
class BackupHealthIndicator implements HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(BackupHealthIndicator.class);

	private static final Duration RECHECK = Duration.ofMinutes(5);

	private final PostgresTools tools;

	private final BackupStore store;

	private final Clock clock;

	private volatile @Nullable Health last;

	private volatile Instant checkedAt = Instant.EPOCH;

	BackupHealthIndicator(PostgresTools tools, BackupStore store, Clock clock) {
		this.tools = tools;
		this.store = store;
		this.clock = clock;
	}

	/** Checks once at start-up so a missing or too old pg_dump shows in the log before the first backup. */
	@EventListener(ApplicationReadyEvent.class)
	void checkAtStartup() {
		Health health = health();
		if (!Status.UP.equals(health.getStatus())) {
			log.warn("Backups will fail: {}", health.getDetails().get("error"));
		}
		else {
			log.info("Backups use {} into {}", health.getDetails().get("pgDump"), this.store.describe());
		}
	}

	@Override
	public Health health() {
		Health cached = this.last;
		Instant now = this.clock.instant();
		if (cached != null && now.isBefore(this.checkedAt.plus(RECHECK))) {
			return cached;
		}
		Health health = check();
		this.last = health;
		this.checkedAt = now;
		return health;
	}

	private Health check() {
		try {
			PostgresTools.VersionCheck versions = this.tools.checkVersions();
			Health.Builder builder = versions.compatible() ? Health.up() : Health.down().withDetail("error", versions.problem());
			return builder.withDetail("store", this.store.describe())
				.withDetail("pgDump", versions.pgDumpVersion())
				.withDetail("server", versions.serverVersion())
				.build();
		}
		catch (BackupException ex) {
			return Health.down().withDetail("store", this.store.describe()).withDetail("error", ex.getMessage()).build();
		}
	}

}
