package com.acme.iot.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.web.ApiProblem;

/**
 * Takes, lists and deletes backups. {@code pg_dump}'s stdout streams through a SHA-256 digest straight into
 * the store: no temporary file, memory bounded by one buffer whatever the database size.
 */
@Component
class Backups {

	private static final Logger log = LoggerFactory.getLogger(Backups.class);

	private static final int BUFFER = 1 << 20;

	private static final int REMEMBERED_RUNS = 50;

	private final BackupStore store;

	private final PostgresTools tools;

	private final DatabaseLocks locks;

	private final DataSource dataSource;

	private final Clock clock;

	private final JsonMapper json;

	private final ObjectProvider<BuildProperties> build;

	private final BackupMetrics metrics;

	private final BackupWorkers workers;

	private final BackupSettings settings;

	private final Map<BackupId, BackupRun> runs = new ConcurrentHashMap<>();

	Backups(BackupStore store, PostgresTools tools, DatabaseLocks locks, DataSource dataSource, Clock clock,
			ObjectProvider<BuildProperties> build, BackupMetrics metrics, BackupWorkers workers,
			BackupSettings settings) {
		this.store = store;
		this.tools = tools;
		this.locks = locks;
		this.dataSource = dataSource;
		this.clock = clock;
		this.json = JsonMapper.builder().findAndAddModules().build();
		this.build = build;
		this.metrics = metrics;
		this.workers = workers;
		this.settings = settings;
	}

	/** Starts a backup on a worker thread and answers at once; 409 while any replica runs one. */
	BackupView start(BackupTrigger trigger, @Nullable String label) {
		DatabaseLocks.Held lock = this.locks.tryLock(DatabaseLocks.Kind.BACKUP)
			.orElseThrow(() -> ApiProblem.conflict("A backup is already running; retry when it has finished."));
		BackupRun run;
		try {
			run = newRun(trigger, label);
			this.workers.submit(() -> {
				try (lock) {
					execute(run);
				}
				catch (RuntimeException ex) {
					// recorded on the run and in the metrics by execute
				}
			});
		}
		catch (RuntimeException ex) {
			lock.close();
			throw ex;
		}
		return run.view();
	}

	/** Scheduled backup: skipped (not queued) when a manual one is running anywhere. */
	Optional<BackupManifest> runScheduled() {
		Optional<DatabaseLocks.Held> lock = this.locks.tryLock(DatabaseLocks.Kind.BACKUP);
		if (lock.isEmpty()) {
			log.info("Scheduled backup skipped: another backup is running");
			return Optional.empty();
		}
		try (DatabaseLocks.Held held = lock.get()) {
			return Optional.of(execute(newRun(BackupTrigger.SCHEDULED, null)));
		}
	}

	/** A backup taken by a caller that already holds the backup lock (the pre-restore backup). */
	BackupManifest runLocked(BackupTrigger trigger, @Nullable String label) {
		return execute(newRun(trigger, label));
	}

	private BackupRun newRun(BackupTrigger trigger, @Nullable String label) {
		Instant now = this.clock.instant();
		BackupRun run = new BackupRun(BackupId.next(now), trigger, label, now);
		this.runs.put(run.id, run);
		forgetOldRuns();
		return run;
	}

	private void forgetOldRuns() {
		if (this.runs.size() > REMEMBERED_RUNS) {
			this.runs.values()
				.stream()
				.filter(run -> run.status != BackupRun.Status.RUNNING)
				.sorted(Comparator.comparing(run -> run.createdAt))
				.limit(this.runs.size() - REMEMBERED_RUNS)
				.forEach(run -> this.runs.remove(run.id));
		}
	}

	private BackupManifest execute(BackupRun run) {
		this.metrics.backupStarted();
		log.info("Backup {} ({}) started into {}", run.id, run.trigger, this.store.describe());
		try {
			BackupManifest manifest = dump(run);
			run.manifest = manifest;
			run.finishedAt = this.clock.instant();
			run.phase = "DONE";
			run.status = BackupRun.Status.SUCCEEDED;
			this.metrics.backupSucceeded(run.finishedAt, Duration.parse(manifest.duration()), manifest.sizeBytes());
			log.info("Backup {} succeeded: {} bytes in {}, sha256 {}", run.id, manifest.sizeBytes(),
					manifest.duration(), manifest.sha256());
			return manifest;
		}
		catch (BackupException ex) {
			fail(run, ex.reason(), ex.getMessage());
			throw ex;
		}
		catch (RuntimeException ex) {
			fail(run, "error", ex.toString());
			throw new BackupException("error", ex.toString(), ex);
		}
	}

	private void fail(BackupRun run, String reason, String message) {
		run.error = message;
		run.finishedAt = this.clock.instant();
		run.status = BackupRun.Status.FAILED;
		this.metrics.backupFailed(reason);
		log.error("Backup {} failed in phase {}: {}", run.id, run.phase, message);
	}

	private BackupManifest dump(BackupRun run) {
		run.phase = "CHECKING_VERSIONS";
		PostgresTools.VersionCheck versions = this.tools.checkVersions();
		if (!versions.compatible()) {
			throw new BackupException("version-mismatch", versions.problem());
		}
		run.phase = "DUMPING";
		Instant started = this.clock.instant();
		try (Connection snapshot = this.dataSource.getConnection()) {
			snapshot.setAutoCommit(false);
			snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			snapshot.setReadOnly(true);
			try {
				BackupManifest manifest = dumpInSnapshot(run, snapshot, versions, started);
				snapshot.commit();
				run.phase = "WRITING_MANIFEST";
				this.store.writeManifest(run.id, this.json.writeValueAsBytes(manifest));
				return manifest;
			}
			finally {
				if (!snapshot.getAutoCommit()) {
					snapshot.rollback();
					snapshot.setReadOnly(false);
					snapshot.setAutoCommit(true);
				}
			}
		}
		catch (SQLException ex) {
			throw new BackupException("database", "Database error during backup: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new BackupException("store", "Cannot write to " + this.store.describe() + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * pg_dump imports the snapshot exported here, and the row counts are taken in the same snapshot while it
	 * streams: the manifest describes exactly the data of the dump.
	 */
	private BackupManifest dumpInSnapshot(BackupRun run, Connection snapshot, PostgresTools.VersionCheck versions,
			Instant started) throws SQLException, IOException {
		String snapshotId = single(snapshot, "select pg_export_snapshot()");
		String schemaVersion = schemaVersion(snapshot);
		List<String> command = PostgresTools.command(this.tools.pgDump(), "--format=custom",
				"--snapshot=" + snapshotId);
		command.addAll(this.tools.connectionArguments(this.tools.database()));
		Process process = this.tools.process(command).start();
		process.getOutputStream().close();
		PostgresTools.ToolErrors stderr = PostgresTools.errors(process);
		CompletableFuture<Map<String, Long>> rowCounts = new CompletableFuture<>();
		Thread counting = new Thread(() -> {
			try {
				rowCounts.complete(rowCounts(snapshot));
			}
			catch (Throwable ex) {
				rowCounts.completeExceptionally(ex);
			}
		}, "backup-row-counts");
		counting.setDaemon(true);
		counting.start();
		BackupStore.Upload upload = this.store.upload(run.id);
		boolean committed = false;
		try {
			MessageDigest sha256 = sha256();
			CountingOutputStream counted = new CountingOutputStream(upload.stream(), run.bytesWritten);
			// the upload stream is never closed on failure: closing an Azure blob stream commits the blob
			DigestOutputStream out = new DigestOutputStream(counted, sha256);
			try (InputStream dump = process.getInputStream()) {
				byte[] buffer = new byte[BUFFER];
				int read;
				while ((read = dump.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
				}
				out.flush();
				stderr.checkExit("pg_dump");
				Map<String, Long> counts = rowCounts.get();
				upload.commit();
				committed = true;
				Instant finished = this.clock.instant();
				return new BackupManifest(run.id.value(), run.createdAt, run.trigger, run.label,
						run.bytesWritten.get(), HexFormat.of().formatHex(sha256.digest()),
						Duration.between(started, finished).toString(), appVersion(), schemaVersion,
						versions.serverVersion(), versions.pgDumpVersion(), counts);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackupException("interrupted", "Backup interrupted");
		}
		catch (ExecutionException ex) {
			throw new BackupException("database", "Cannot count rows: " + ex.getCause().getMessage(), ex);
		}
		finally {
			if (!committed) {
				process.destroyForcibly();
				upload.abort();
			}
			joinQuietly(counting);
		}
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join(60_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String single(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getString(1);
		}
	}

	static @Nullable String schemaVersion(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select version from flyway_schema_history "
						+ "where success and version is not null order by installed_rank desc limit 1")) {
			return result.next() ? result.getString(1) : null;
		}
	}

	/** Rows per table of every user schema, keyed {@code schema.table}. */
	static Map<String, Long> rowCounts(Connection connection) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select quote_ident(schemaname) || '.' || quote_ident(tablename) "
						+ "from pg_tables where schemaname not in ('pg_catalog', 'information_schema') "
						+ "and schemaname not like 'pg\\_%' order by 1")) {
			while (result.next()) {
				tables.add(result.getString(1));
			}
		}
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : tables) {
			try (Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("select count(*) from " + table)) {
				result.next();
				counts.put(table, result.getLong(1));
			}
		}
		return counts;
	}

	private @Nullable String appVersion() {
		BuildProperties properties = this.build.getIfAvailable();
		return properties != null ? properties.getVersion() : null;
	}

	/** Backups newest first: complete ones from the store, running or failed ones this replica knows of. */
	List<BackupView> list() {
		Map<String, BackupView> views = new LinkedHashMap<>();
		for (BackupManifest manifest : manifests()) {
			views.put(manifest.id(), BackupView.of(manifest, null));
		}
		for (BackupRun run : this.runs.values()) {
			if (run.status != BackupRun.Status.SUCCEEDED || !views.containsKey(run.id.value())) {
				views.put(run.id.value(), run.view());
			}
		}
		return views.values()
			.stream()
			.sorted(Comparator.comparing(BackupView::createdAt).thenComparing(BackupView::id).reversed())
			.toList();
	}

	Optional<BackupView> find(BackupId id) {
		BackupRun run = this.runs.get(id);
		if (run != null && run.status != BackupRun.Status.SUCCEEDED) {
			return Optional.of(run.view());
		}
		return manifest(id).map(manifest -> BackupView.of(manifest, null));
	}

	Optional<BackupManifest> manifest(BackupId id) {
		try {
			Optional<byte[]> bytes = this.store.readManifest(id);
			if (bytes.isEmpty() || this.store.manifests().stream().noneMatch(id::equals)) {
				return Optional.empty();
			}
			return Optional.of(this.json.readValue(bytes.get(), BackupManifest.class));
		}
		catch (IOException ex) {
			throw new BackupException("store", "Cannot read the manifest of " + id + ": " + ex.getMessage(), ex);
		}
	}

	/** Complete backups, newest first. */
	List<BackupManifest> manifests() {
		try {
			List<BackupManifest> manifests = new ArrayList<>();
			for (BackupId id : this.store.manifests()) {
				Optional<byte[]> bytes = this.store.readManifest(id);
				if (bytes.isPresent()) {
					manifests.add(this.json.readValue(bytes.get(), BackupManifest.class));
				}
			}
			manifests.sort(Comparator.comparing(BackupManifest::createdAt).thenComparing(BackupManifest::id).reversed());
			return manifests;
		}
		catch (IOException ex) {
			throw new BackupException("store", "Cannot list " + this.store.describe() + ": " + ex.getMessage(), ex);
		}
	}

	void delete(BackupId id) {
		BackupRun run = this.runs.get(id);
		if (run != null && run.status == BackupRun.Status.RUNNING) {
			throw ApiProblem.conflict("Backup '" + id + "' is still running.");
		}
		boolean known = run != null || manifest(id).isPresent();
		if (!known) {
			throw ApiProblem.notFound("Backup", id);
		}
		try {
			this.store.delete(id);
		}
		catch (IOException ex) {
			throw new BackupException("store", "Cannot delete " + id + ": " + ex.getMessage(), ex);
		}
		this.runs.remove(id);
		log.info("Backup {} deleted", id);
	}

	/**
	 * Deletes backups older than the retention, always keeping the newest {@code keep-at-least}, and dumps
	 * left without a manifest by an interrupted backup once they are older than {@code orphan-age}.
	 */
	List<BackupId> applyRetention() {
		Instant now = this.clock.instant();
		List<BackupId> deleted = new ArrayList<>();
		List<BackupManifest> manifests = manifests();
		for (int i = this.settings.keepAtLeast(); i < manifests.size(); i++) {
			BackupManifest manifest = manifests.get(i);
			if (manifest.createdAt().isBefore(now.minus(this.settings.retention()))) {
				BackupId id = new BackupId(manifest.id());
				try {
					this.store.delete(id);
					deleted.add(id);
				}
				catch (IOException ex) {
					log.warn("Retention could not delete backup {}: {}", id, ex.getMessage());
				}
			}
		}
		try {
			List<BackupId> complete = this.store.manifests();
			for (BackupStore.StoredDump dump : this.store.dumps()) {
				String id = dump.name().substring(0, Math.min(dump.name().length(), 23));
				boolean running = BackupId.isValid(id) && this.runs.containsKey(new BackupId(id))
						&& this.runs.get(new BackupId(id)).status == BackupRun.Status.RUNNING;
				boolean orphan = !BackupId.isValid(id) || !complete.contains(new BackupId(id));
				if (orphan && !running && dump.lastModified().isBefore(now.minus(this.settings.orphanAge()))) {
					this.store.deleteDump(dump);
					log.info("Deleted {}: an interrupted backup without manifest", dump.name());
				}
			}
		}
		catch (IOException ex) {
			log.warn("Retention could not clean up interrupted backups: {}", ex.getMessage());
		}
		if (!deleted.isEmpty()) {
			log.info("Retention deleted {} backup(s): {}", deleted.size(), deleted);
		}
		return deleted;
	}

	/** Seeds the last-backup gauges from the store so a restart does not fire "no backup for 26 h". */
	@EventListener(ApplicationReadyEvent.class)
	void seedMetrics() {
		try {
			manifests().stream()
				.findFirst()
				.ifPresent(newest -> this.metrics.lastKnownBackup(
						newest.createdAt().plus(Duration.parse(newest.duration())), newest.sizeBytes()));
		}
		catch (RuntimeException ex) {
			log.warn("Cannot read the backup store at start-up: {}", ex.getMessage());
		}
	}

	/** Counts bytes into the run's live progress. */
	private static final class CountingOutputStream extends FilterOutputStream {

		private final AtomicLong count;

		CountingOutputStream(OutputStream out, AtomicLong count) {
			super(out);
			this.count = count;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
			this.count.addAndGet(length);
		}

		@Override
		public void write(int b) throws IOException {
			this.out.write(b);
			this.count.incrementAndGet();
		}

	}

}
