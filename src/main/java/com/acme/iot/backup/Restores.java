package com.acme.iot.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.iot.platform.web.ApiProblem;

/**
 * Restores a backup into the live database, or into a scratch database as a drill. The order is the safety:
 * verify the dump's SHA-256, refuse a schema newer than this release, enter maintenance, take a
 * {@code PRE_RESTORE} backup, then one {@code pg_restore --single-transaction} so a failure leaves the
 * database exactly as it was, then Flyway.
 */
@Component
class Restores {

	private static final Logger log = LoggerFactory.getLogger(Restores.class);

	/**
	 * Tables describing the running service rather than its data: the maintenance flag (dropping it would end
	 * maintenance on every replica mid-restore), the restore history (the restore in progress would vanish)
	 * and ShedLock's locks (held by jobs running now). pg_restore leaves them alone.
	 */
	static final Set<String> KEPT_TABLES = Set.of("backup_maintenance", "backup_restore", "shedlock");

	enum Target {

		LIVE, SCRATCH

	}

	private final Backups backups;

	private final BackupStore store;

	private final PostgresTools tools;

	private final DatabaseLocks locks;

	private final MaintenanceFlag maintenance;

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final ObjectProvider<Flyway> flyway;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final BackupMetrics metrics;

	private final BackupWorkers workers;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Map<UUID, AtomicLong> progress = new ConcurrentHashMap<>();

	Restores(Backups backups, BackupStore store, PostgresTools tools, DatabaseLocks locks, MaintenanceFlag maintenance,
			DataSource dataSource, ObjectProvider<Flyway> flyway, ApplicationEventPublisher events,
			TransactionTemplate transactions, Clock clock, BackupMetrics metrics, BackupWorkers workers) {
		this.backups = backups;
		this.store = store;
		this.tools = tools;
		this.locks = locks;
		this.maintenance = maintenance;
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.flyway = flyway;
		this.events = events;
		this.transactions = transactions;
		this.clock = clock;
		this.metrics = metrics;
		this.workers = workers;
	}

	/** Validates the request, takes the locks and starts the restore on a worker; answers at once. */
	RestoreView start(BackupId backupId, Target target, @Nullable String requestedBy) {
		BackupManifest manifest = this.backups.manifest(backupId)
			.orElseThrow(() -> ApiProblem.notFound("Backup", backupId));
		List<DatabaseLocks.Held> held = new ArrayList<>();
		try {
			held.add(this.locks.tryLock(DatabaseLocks.Kind.RESTORE)
				.orElseThrow(() -> ApiProblem.conflict("A restore is already running; retry when it has finished.")));
			if (target == Target.LIVE) {
				held.add(this.locks.tryLock(DatabaseLocks.Kind.BACKUP)
					.orElseThrow(() -> ApiProblem.conflict(
							"A backup is running; restore once it has finished (the restore takes its own backup first).")));
			}
			UUID id = UUID.randomUUID();
			this.jdbc.update("""
					insert into backup_restore (id, backup_id, target, status, phase, requested_by, started_at)
					values (?, ?, ?, 'RUNNING', 'STARTING', ?, ?)""", id, backupId.value(), target.name(), requestedBy,
					Timestamp.from(this.clock.instant()));
			this.progress.put(id, new AtomicLong());
			this.workers.submit(() -> {
				try {
					run(id, manifest, target);
				}
				finally {
					held.forEach(DatabaseLocks.Held::close);
				}
			});
			return find(id).orElseThrow();
		}
		catch (RuntimeException ex) {
			held.forEach(DatabaseLocks.Held::close);
			throw ex;
		}
	}

	/** The weekly drill of the newest backup; runs on the calling (scheduler) thread. */
	void drillNewest() {
		List<BackupManifest> manifests = this.backups.manifests();
		if (manifests.isEmpty()) {
			log.info("Restore drill skipped: no backup yet");
			return;
		}
		BackupManifest newest = manifests.get(0);
		Optional<DatabaseLocks.Held> lock = this.locks.tryLock(DatabaseLocks.Kind.RESTORE);
		if (lock.isEmpty()) {
			log.info("Restore drill skipped: a restore is running");
			return;
		}
		try (DatabaseLocks.Held held = lock.get()) {
			UUID id = UUID.randomUUID();
			this.jdbc.update("""
					insert into backup_restore (id, backup_id, target, status, phase, requested_by, started_at)
					values (?, ?, 'SCRATCH', 'RUNNING', 'STARTING', 'schedule', ?)""", id, newest.id(),
					Timestamp.from(this.clock.instant()));
			this.progress.put(id, new AtomicLong());
			run(id, newest, Target.SCRATCH);
		}
	}

	private void run(UUID id, BackupManifest manifest, Target target) {
		this.metrics.restoreRunning(true);
		BackupId backupId = new BackupId(manifest.id());
		log.warn("{} of backup {} started", target == Target.LIVE ? "Restore" : "Restore drill", backupId);
		boolean databaseReplaced = false;
		boolean inMaintenance = false;
		try {
			phase(id, "VERIFYING");
			verify(backupId, manifest, this.progress.get(id));
			if (target == Target.SCRATCH) {
				drill(id, backupId, manifest);
			}
			else {
				phase(id, "CHECKING_SCHEMA");
				checkSchema(manifest);
				phase(id, "ENTERING_MAINTENANCE");
				this.maintenance.enter("restore of backup " + backupId);
				inMaintenance = true;
				phase(id, "PRE_RESTORE_BACKUP");
				BackupManifest before = this.backups.runLocked(BackupTrigger.PRE_RESTORE, "before restoring " + backupId);
				log.warn("Backup {} holds the database as it was before this restore", before.id());
				phase(id, "RESTORING");
				restoreLive(id, backupId);
				databaseReplaced = true;
				phase(id, "MIGRATING");
				Flyway migrations = this.flyway.getIfAvailable();
				if (migrations != null) {
					migrations.migrate();
				}
				evictPooledConnections();
				phase(id, "LEAVING_MAINTENANCE");
				this.maintenance.leave();
				inMaintenance = false;
				Instant restoredAt = this.clock.instant();
				this.transactions.executeWithoutResult(
						status -> this.events.publishEvent(new DatabaseRestored(backupId, manifest.createdAt(), restoredAt)));
			}
			finish(id, BackupRun.Status.SUCCEEDED, null);
			this.metrics.restoreFinished(true, target == Target.SCRATCH, this.clock.instant());
			log.warn("{} of backup {} succeeded", target == Target.LIVE ? "Restore" : "Restore drill", backupId);
		}
		catch (RuntimeException ex) {
			String message = ex instanceof BackupException || ex instanceof ApiProblem ? ex.getMessage() : ex.toString();
			if (databaseReplaced) {
				message = message + " — the database was restored but is not migrated: the service stays in "
						+ "maintenance; restore the PRE_RESTORE backup or fix and restore again";
			}
			else if (target == Target.LIVE) {
				message = message + " — the database is unchanged";
			}
			if (inMaintenance && !databaseReplaced) {
				leaveQuietly();
			}
			finish(id, BackupRun.Status.FAILED, message);
			this.metrics.restoreFinished(false, target == Target.SCRATCH, this.clock.instant());
			log.error("{} of backup {} failed: {}", target == Target.LIVE ? "Restore" : "Restore drill", backupId,
					message);
		}
		finally {
			this.metrics.restoreRunning(false);
		}
	}

	private void leaveQuietly() {
		try {
			this.maintenance.leave();
		}
		catch (RuntimeException ex) {
			log.error("Cannot leave maintenance: {}", ex.getMessage());
		}
	}

	/** Reads the whole dump once: a corrupted or truncated blob is refused before the database is touched. */
	private void verify(BackupId id, BackupManifest manifest, AtomicLong read) {
		MessageDigest sha256 = Backups.sha256();
		long size = 0;
		try (InputStream dump = this.store.openDump(id)) {
			byte[] buffer = new byte[1 << 20];
			int n;
			while ((n = dump.read(buffer)) >= 0) {
				sha256.update(buffer, 0, n);
				size += n;
				read.set(size);
			}
		}
		catch (IOException ex) {
			throw new BackupException("store", "Cannot read the dump of " + id + ": " + ex.getMessage(), ex);
		}
		String actual = HexFormat.of().formatHex(sha256.digest());
		if (size != manifest.sizeBytes() || !actual.equals(manifest.sha256())) {
			throw new BackupException("corrupt", "Backup " + id + " is corrupt: " + size + " bytes with SHA-256 "
					+ actual + ", its manifest says " + manifest.sizeBytes() + " bytes with SHA-256 " + manifest.sha256()
					+ "; refused");
		}
	}

	private void checkSchema(BackupManifest manifest) {
		Flyway migrations = this.flyway.getIfAvailable();
		if (migrations == null || manifest.schemaVersion() == null) {
			return;
		}
		MigrationVersion known = Arrays.stream(migrations.info().all())
			.filter(info -> info.getVersion() != null && info.getState().isResolved())
			.map(MigrationInfo::getVersion)
			.max(MigrationVersion::compareTo)
			.orElse(MigrationVersion.EMPTY);
		MigrationVersion backup = MigrationVersion.fromVersion(manifest.schemaVersion());
		if (known != MigrationVersion.EMPTY && backup.compareTo(known) > 0) {
			throw new BackupException("schema-too-new", "Backup " + manifest.id() + " has schema version "
					+ manifest.schemaVersion() + ", newer than " + known + " known to this release ("
					+ manifest.appVersion() + " took it); deploy that release to restore it");
		}
	}

	/**
	 * One pg_restore transaction over the live database, minus {@link #KEPT_TABLES}. Tables that newer
	 * migrations created are not in the dump, so --clean leaves them; they are dropped afterwards so Flyway
	 * can recreate them from the restored history.
	 */
	private void restoreLive(UUID id, BackupId backupId) {
		List<String> toc = toc(backupId);
		Set<String> dumpedTables = dumpedPublicTables(toc);
		StringBuilder list = new StringBuilder();
		for (String line : toc) {
			if (isKept(line)) {
				list.append(';');
			}
			list.append(line).append('\n');
		}
		Path listFile = null;
		try {
			listFile = Files.createTempFile("iot-restore-", ".list");
			Files.writeString(listFile, list, StandardCharsets.UTF_8);
			this.progress.get(id).set(0);
			applyInOneTransaction(backupId, this.progress.get(id), partitions(toc), "--clean", "--if-exists",
					"--no-owner", "--use-list=" + listFile, "--file=-");
		}
		catch (IOException ex) {
			throw new BackupException("restore", "Cannot write the restore list: " + ex.getMessage(), ex);
		}
		finally {
			if (listFile != null) {
				listFile.toFile().delete();
			}
		}
		phase(id, "DROPPING_NEWER_TABLES");
		List<String> newer = this.jdbc.queryForList("select tablename from pg_tables where schemaname = 'public'",
				String.class)
			.stream()
			.filter(table -> !dumpedTables.contains(table) && !KEPT_TABLES.contains(table))
			.toList();
		if (!newer.isEmpty() && !dumpedTables.isEmpty()) {
			log.warn("Dropping tables created after the backup, for Flyway to recreate: {}", newer);
			this.transactions.executeWithoutResult(status -> newer
				.forEach(table -> this.jdbc.execute("drop table if exists public.\"" + table.replace("\"", "\"\"") + "\" cascade")));
		}
	}

	/**
	 * Streams pg_restore's SQL into {@code psql --single-transaction -v ON_ERROR_STOP=1}: the same one-transaction,
	 * stop-at-first-error restore as {@code pg_restore --single-transaction --exit-on-error}, but with the
	 * {@code --clean} statements that PostgreSQL refuses for partitioned tables left out. pg_restore drops each
	 * partition's primary key on its own, which fails ("cannot drop inherited constraint"); dropping the
	 * parent's key and then the partitions removes them anyway. If anything fails upstream, psql is killed
	 * before it reaches its COMMIT, so the server rolls the whole transaction back.
	 */
	private void applyInOneTransaction(BackupId backupId, AtomicLong read, Set<String> partitions, String... options) {
		List<String> command = PostgresTools.command(this.tools.psql(), "--single-transaction", "--set",
				"ON_ERROR_STOP=1", "--no-psqlrc", "--quiet", "--output=/dev/null");
		command.addAll(this.tools.connectionArguments(this.tools.database()));
		Process psql;
		try {
			psql = this.tools.process(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		}
		catch (IOException ex) {
			throw new BackupException("tool-missing", "Cannot start psql: " + ex.getMessage(), ex);
		}
		boolean complete = false;
		PostgresTools.ToolErrors stderr = PostgresTools.errors(psql);
		try {
			OutputStream sql = new PartitionConstraintDropFilter(psql.getOutputStream(), partitions);
			try {
				runPgRestore(backupId, read, sql, options);
			}
			catch (BackupException ex) {
				// psql stopping at a failed statement breaks pg_restore's pipe: psql's message is the cause.
				if (psql.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && psql.exitValue() != 0) {
					throw new BackupException("psql-failed", "psql exited with " + psql.exitValue() + ": " + stderr.text());
				}
				throw ex;
			}
			// Only a complete script may reach psql's end of input: that is where it commits.
			try {
				sql.close();
			}
			catch (IOException ex) {
				psql.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
				throw new BackupException("restore", "The restore stopped at a failing statement: " + stderr.text(), ex);
			}
			stderr.checkExit("psql");
			complete = true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackupException("interrupted", "Restore interrupted");
		}
		finally {
			if (!complete) {
				psql.destroyForcibly();
			}
		}
	}

	/** Partitions attached in a TOC listing ({@code 3204; 0 0 TABLE ATTACH public reading_p1 postgres}). */
	static Set<String> partitions(List<String> toc) {
		Set<String> partitions = new java.util.HashSet<>();
		for (String line : toc) {
			String[] words = line.trim().split("\\s+");
			for (int i = 0; i + 3 < words.length; i++) {
				if (words[i].equals("TABLE") && words[i + 1].equals("ATTACH")) {
					partitions.add(words[i + 2] + "." + words[i + 3]);
				}
			}
		}
		return partitions;
	}

	/** Tables of schema public in a TOC listing ({@code 216; 1259 16401 TABLE public sensor postgres}). */
	static Set<String> dumpedPublicTables(List<String> toc) {
		Set<String> tables = new java.util.HashSet<>();
		for (String line : toc) {
			if (line.startsWith(";")) {
				continue;
			}
			String[] words = line.trim().split("\\s+");
			if (words.length >= 6 && words[3].equals("TABLE") && words[4].equals("public")) {
				tables.add(words[5]);
			}
		}
		return tables;
	}

	static boolean isKept(String tocLine) {
		if (tocLine.startsWith(";") || tocLine.isBlank()) {
			return false;
		}
		for (String word : tocLine.split("\\s+")) {
			for (String table : KEPT_TABLES) {
				if (word.equals(table) || word.startsWith(table + "_")) {
					return true;
				}
			}
		}
		return false;
	}

	private void drill(UUID id, BackupId backupId, BackupManifest manifest) {
		String scratch = "iot_drill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		phase(id, "CREATING_SCRATCH_DATABASE");
		this.jdbc.execute("create database " + scratch);
		try {
			phase(id, "RESTORING");
			this.progress.get(id).set(0);
			pgRestore(backupId, this.progress.get(id), scratch, "--single-transaction", "--exit-on-error",
					"--no-owner");
			phase(id, "CHECKING");
			Map<String, Object> checks = new LinkedHashMap<>();
			List<String> problems = new ArrayList<>();
			try (Connection connection = this.tools.connect(scratch)) {
				Map<String, Long> counts = Backups.rowCounts(connection);
				for (Map.Entry<String, Long> expected : manifest.rowCounts().entrySet()) {
					Long actual = counts.get(expected.getKey());
					if (!Objects.equals(actual, expected.getValue())) {
						problems.add(expected.getKey() + " has " + actual + " rows, the manifest says "
								+ expected.getValue());
					}
				}
				checks.put("tables", manifest.rowCounts().size());
				checks.put("rows", counts.values().stream().mapToLong(Long::longValue).sum());
				String schemaVersion = Backups.schemaVersion(connection);
				checks.put("schemaVersion", schemaVersion);
				if (schemaVersion == null) {
					problems.add("the Flyway history is missing");
				}
				else if (!schemaVersion.equals(manifest.schemaVersion())) {
					problems.add("the Flyway history ends at " + schemaVersion + ", the manifest says "
							+ manifest.schemaVersion());
				}
			}
			catch (SQLException ex) {
				throw new BackupException("drill", "Cannot check the scratch database: " + ex.getMessage(), ex);
			}
			checks.put("problems", problems);
			this.jdbc.update("update backup_restore set checks = ? where id = ?", this.json.writeValueAsString(checks),
					id);
			if (!problems.isEmpty()) {
				throw new BackupException("drill", "Restore drill found differences: " + String.join("; ", problems));
			}
		}
		finally {
			phase(id, "DROPPING_SCRATCH_DATABASE");
			this.jdbc.execute("drop database if exists " + scratch + " with (force)");
		}
	}

	private List<String> toc(BackupId backupId) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		runPgRestore(backupId, new AtomicLong(), out, "--list");
		return out.toString(StandardCharsets.UTF_8).lines().toList();
	}

	private void pgRestore(BackupId backupId, AtomicLong read, String database, String... options) {
		List<String> arguments = new ArrayList<>(List.of(options));
		arguments.addAll(this.tools.connectionArguments(database));
		runPgRestore(backupId, read, OutputStream.nullOutputStream(), arguments.toArray(String[]::new));
	}

	/**
	 * Runs pg_restore on the dump: by path when the store has a local file, else streamed into its stdin from
	 * the store (the TOC of a custom dump comes first, so {@code --list} reads only the beginning).
	 */
	private void runPgRestore(BackupId backupId, AtomicLong read, OutputStream stdout, String... arguments) {
		List<String> command = PostgresTools.command(this.tools.pgRestore(), arguments);
		Optional<Path> local = this.store.localDump(backupId);
		local.ifPresent(path -> command.add(path.toString()));
		Process process;
		try {
			process = this.tools.process(command).start();
		}
		catch (IOException ex) {
			throw new BackupException("tool-missing", "Cannot start pg_restore: " + ex.getMessage(), ex);
		}
		PostgresTools.ToolErrors stderr = PostgresTools.errors(process);
		try {
			Thread feeder = null;
			if (local.isEmpty()) {
				feeder = feed(backupId, process, read);
			}
			else {
				process.getOutputStream().close();
			}
			process.getInputStream().transferTo(stdout);
			stderr.checkExit("pg_restore");
			if (feeder != null) {
				feeder.join();
			}
		}
		catch (IOException ex) {
			throw new BackupException("restore", "pg_restore failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackupException("interrupted", "Restore interrupted");
		}
		finally {
			process.destroyForcibly();
		}
	}

	private Thread feed(BackupId backupId, Process process, AtomicLong read) {
		Thread feeder = new Thread(() -> {
			try (InputStream dump = this.store.openDump(backupId); OutputStream stdin = process.getOutputStream()) {
				byte[] buffer = new byte[1 << 20];
				int n;
				while ((n = dump.read(buffer)) >= 0) {
					stdin.write(buffer, 0, n);
					read.addAndGet(n);
				}
			}
			catch (IOException ex) {
				// pg_restore stopped reading (--list needs only the TOC, or it failed): its exit code tells
			}
		}, "restore-feeder");
		feeder.setDaemon(true);
		feeder.start();
		return feeder;
	}

	private void evictPooledConnections() {
		try {
			if (this.dataSource.isWrapperFor(HikariDataSource.class)) {
				HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
				if (hikari.getHikariPoolMXBean() != null) {
					hikari.getHikariPoolMXBean().softEvictConnections();
				}
			}
		}
		catch (SQLException ex) {
			log.debug("Cannot evict pooled connections: {}", ex.getMessage());
		}
	}

	private void phase(UUID id, String phase) {
		this.jdbc.update("update backup_restore set phase = ? where id = ?", phase, id);
		log.info("Restore {}: {}", id, phase);
	}

	private void finish(UUID id, BackupRun.Status status, @Nullable String error) {
		this.jdbc.update("update backup_restore set status = ?, error = ?, finished_at = ? where id = ?", status.name(),
				error, Timestamp.from(this.clock.instant()), id);
		this.progress.remove(id);
	}

	Optional<RestoreView> find(UUID id) {
		return this.jdbc.query("select * from backup_restore where id = ?", this::view, id).stream().findFirst();
	}

	/** The running restore, else the last one. */
	Optional<RestoreView> current() {
		return this.jdbc
			.query("select * from backup_restore order by (status = 'RUNNING') desc, started_at desc limit 1",
					this::view)
			.stream()
			.findFirst();
	}

	private RestoreView view(java.sql.ResultSet row, int number) throws SQLException {
		UUID id = row.getObject("id", UUID.class);
		AtomicLong read = this.progress.get(id);
		Timestamp finished = row.getTimestamp("finished_at");
		String checks = row.getString("checks");
		JsonNode checkNode = checks == null ? null : this.json.readTree(checks);
		return new RestoreView(id.toString(), row.getString("backup_id"), row.getString("target"),
				BackupRun.Status.valueOf(row.getString("status")), row.getString("phase"), row.getString("error"),
				row.getString("requested_by"), row.getTimestamp("started_at").toInstant(),
				finished == null ? null : finished.toInstant(), read == null ? null : read.get(), checkNode);
	}

	/** A replica that died mid-restore leaves its row RUNNING; mark it failed once nobody holds the lock. */
	@EventListener(ApplicationReadyEvent.class)
	void recordInterruptedRestores() {
		if (!this.locks.isHeldAnywhere(DatabaseLocks.Kind.RESTORE)) {
			int interrupted = this.jdbc.update("""
					update backup_restore set status = 'FAILED', finished_at = now(),
					    error = 'interrupted: the replica running it stopped'
					where status = 'RUNNING'""");
			if (interrupted > 0) {
				log.warn("Marked {} interrupted restore(s) as failed", interrupted);
			}
		}
		this.jdbc
			.query("select max(finished_at) from backup_restore where target = 'SCRATCH' and status = 'SUCCEEDED'",
					(row, n) -> row.getTimestamp(1))
			.stream()
			.filter(Objects::nonNull)
			.findFirst()
			.ifPresent(at -> this.metrics.lastKnownDrill(at.toInstant()));
	}

}
