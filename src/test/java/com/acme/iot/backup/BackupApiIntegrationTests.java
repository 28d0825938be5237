package com.acme.iot.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;
import com.acme.iot.ExternalTools;
import com.acme.iot.TestClock;
import com.acme.iot.platform.maintenance.MaintenanceMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups into the filesystem store and restores of the embedded PostgreSQL, with the real pg_dump and
 * pg_restore, through the actuator endpoints.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.backup.filesystem.directory=${java.io.tmpdir}/iot-backup-tests/${random.uuid}",
				"iot.backup.maintenance-poll-interval=PT0.2S" })
class BackupApiIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	BackupSettings settings;

	@Autowired
	BackupStore store;

	@Autowired
	Backups backups;

	@Autowired
	DatabaseLocks locks;

	@Autowired
	MaintenanceFlag maintenanceFlag;

	@Autowired
	MaintenanceMode maintenanceMode;

	@Autowired
	TestClock clock;

	ApiClient admin;

	JdbcTemplate jdbc;

	BackupTestSupport support;

	@BeforeEach
	void setUp() {
		ExternalTools.require("pg_dump");
		ExternalTools.require("pg_restore");
		this.admin = new ApiClient(this.port, "test-admin-token");
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.support = new BackupTestSupport(this.admin, this.jdbc);
	}

	@Test
	void restoresIdenticalDataFromAFilesystemBackup() throws IOException {
		this.support.registerSensor("kept");
		List<String> before = this.support.snapshot();
		JsonNode backup = this.support.backup();
		String id = backup.get("id").stringValue();
		assertThat(backup.get("sha256").stringValue()).hasSize(64);
		assertThat(backup.get("sizeBytes").longValue()).isPositive();
		assertThat(backup.get("schemaVersion").stringValue()).isNotBlank();
		assertThat(backup.get("pgDumpVersion").stringValue()).contains("pg_dump");
		assertThat(backup.get("rowCounts").get("public.sensor").longValue()).isPositive();
		assertThat(Files.list(this.settings.filesystem().directory()).map(Path::toString).toList())
			.noneMatch(name -> name.endsWith(".partial"));

		String added = this.support.registerSensor("added after the backup");
		this.jdbc.execute("create table created_after_backup (id int)");
		this.jdbc.update("update sensor set name = 'renamed' where name = 'kept'");
		assertThat(this.support.snapshot()).isNotEqualTo(before);

		JsonNode restore = this.support.restore("{\"backupId\":\"%s\",\"confirm\":\"%s\"}".formatted(id, id));

		assertThat(restore.get("status").stringValue()).as(restore.toString()).isEqualTo("SUCCEEDED");
		assertThat(restore.get("target").stringValue()).isEqualTo("LIVE");
		assertThat(this.support.snapshot()).isEqualTo(before);
		assertThat(this.admin.get("/api/sensors/" + added).status()).isEqualTo(404);
		assertThat(this.jdbc.queryForObject("select to_regclass('public.created_after_backup') is null",
				Boolean.class)).isTrue();
		assertThat(this.maintenanceMode.isActive()).isFalse();
		assertThat(this.jdbc.queryForObject("select count(*) from flyway_schema_history where not success",
				Integer.class)).isZero();
		List<JsonNode> list = this.admin.get("/actuator/backups").json().valueStream().toList();
		assertThat(list.get(0).get("trigger").stringValue()).isEqualTo("PRE_RESTORE");
		assertThat(list).anyMatch(item -> item.get("id").stringValue().equals(id));
	}

	@Test
	void listsBackupsNewestFirstAndShowsProgress() {
		Response started = this.admin.post("/actuator/backups", "{\"trigger\":\"PRE_DEPLOY\",\"label\":\"v1.4.0\"}");
		assertThat(started.status()).as(started.toString()).isEqualTo(202);
		String id = started.json().get("id").stringValue();
		assertThat(started.json().get("status").stringValue()).isEqualTo("RUNNING");
		Response progress = this.admin.get("/actuator/backups/" + id);
		assertThat(progress.json().has("phase")).isTrue();
		assertThat(progress.json().has("bytesWritten")).isTrue();

		JsonNode done = this.support.awaitBackup(id);
		assertThat(done.get("status").stringValue()).isEqualTo("SUCCEEDED");
		assertThat(done.get("phase").stringValue()).isEqualTo("DONE");
		assertThat(done.get("bytesWritten").longValue()).isEqualTo(done.get("sizeBytes").longValue());
		assertThat(done.get("trigger").stringValue()).isEqualTo("PRE_DEPLOY");
		assertThat(done.get("label").stringValue()).isEqualTo("v1.4.0");
		String newer = this.support.backup().get("id").stringValue();

		List<JsonNode> listed = this.admin.get("/actuator/backups").json().valueStream().toList();
		assertThat(listed.stream().map(item -> item.get("id").stringValue())).containsSubsequence(newer, id);
		assertThat(listed.stream().map(item -> Instant.parse(item.get("createdAt").stringValue())).toList())
			.isSortedAccordingTo(java.util.Comparator.reverseOrder());

		assertThat(this.admin.delete("/actuator/backups/" + id).status()).isEqualTo(204);
		assertThat(this.admin.get("/actuator/backups/" + id).status()).isEqualTo(404);
		assertThat(this.admin.get("/actuator/backups/not-an-id").status()).isEqualTo(400);
	}

	@Test
	void answersConflictWhileABackupRunsAnywhere() {
		try (DatabaseLocks.Held held = this.locks.tryLock(DatabaseLocks.Kind.BACKUP).orElseThrow()) {
			Response refused = this.admin.post("/actuator/backups", null);
			assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
			assertThat(refused.contentType()).startsWith("application/problem+json");
		}
	}

	@Test
	void rejectsBadTrigger() {
		Response refused = this.admin.post("/actuator/backups", "{\"trigger\":\"SCHEDULED\"}");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("detail").stringValue()).contains("trigger");
	}

	@Test
	void refusesCallersWhoAreNotAdmins() {
		String reader = this.admin.issueToken("READER");
		String operator = this.admin.issueToken("OPERATOR");
		for (String path : List.of("/actuator/backups", "/actuator/restore")) {
			assertThat(this.admin.as(null).get(path).status()).isEqualTo(401);
			assertThat(this.admin.as(reader).get(path).status()).isEqualTo(403);
			assertThat(this.admin.as(operator).get(path).status()).isEqualTo(403);
			assertThat(this.admin.as(operator).post(path, "{}").status()).isEqualTo(403);
			assertThat(this.admin.as(null).post(path, "{}").status()).isEqualTo(401);
		}
	}

	@Test
	void refusesLiveRestoreWhoseConfirmationDoesNotRepeatTheBackupId() {
		String id = this.support.backup().get("id").stringValue();

		Response refused = this.admin.post("/actuator/restore",
				"{\"backupId\":\"%s\",\"confirm\":\"%s\"}".formatted(id, "20200101T000000Z-000000"));
		Response missing = this.admin.post("/actuator/restore", "{\"backupId\":\"%s\"}".formatted(id));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.json().get("detail").stringValue()).contains("confirm");
		assertThat(missing.status()).isEqualTo(400);
		assertThat(this.admin.post("/actuator/restore", "{\"backupId\":\"20200101T000000Z-000000\","
				+ "\"confirm\":\"20200101T000000Z-000000\"}").status()).isEqualTo(404);
	}

	@Test
	void refusesABackupWithOneFlippedByteAndLeavesTheDatabaseUnchanged() throws IOException {
		String id = this.support.backup().get("id").stringValue();
		Path dump = this.store.localDump(new BackupId(id)).orElseThrow();
		byte[] bytes = Files.readAllBytes(dump);
		bytes[bytes.length / 2] ^= 0x01;
		Files.write(dump, bytes);
		this.support.registerSensor("written after the backup");
		List<String> before = this.support.snapshot();

		JsonNode restore = this.support.restore("{\"backupId\":\"%s\",\"confirm\":\"%s\"}".formatted(id, id));

		assertThat(restore.get("status").stringValue()).isEqualTo("FAILED");
		assertThat(restore.get("phase").stringValue()).isEqualTo("VERIFYING");
		assertThat(restore.get("error").stringValue()).contains("corrupt").contains("unchanged");
		assertThat(this.support.snapshot()).isEqualTo(before);
		assertThat(this.maintenanceMode.isActive()).isFalse();
	}

	@Test
	void leavesTheDatabaseAsItWasWhenTheRestoreFailsHalfWay() {
		String id = this.support.backup().get("id").stringValue();
		this.support.registerSensor("written after the backup");
		// an object outside the dump that depends on a dumped table: pg_restore --clean cannot drop that table
		this.jdbc.execute("create schema if not exists reporting");
		this.jdbc.execute("create or replace view reporting.sensor_names as select name from public.sensor");
		try {
			List<String> before = this.support.snapshot();

			JsonNode restore = this.support.restore("{\"backupId\":\"%s\",\"confirm\":\"%s\"}".formatted(id, id));

			assertThat(restore.get("status").stringValue()).isEqualTo("FAILED");
			assertThat(restore.get("phase").stringValue()).isEqualTo("RESTORING");
			assertThat(restore.get("error").stringValue()).contains("reporting.sensor_names").contains("unchanged");
			assertThat(this.support.snapshot()).isEqualTo(before);
			assertThat(this.maintenanceMode.isActive()).isFalse();
		}
		finally {
			this.jdbc.execute("drop schema reporting cascade");
		}
	}

	@Test
	void neverListsAnInterruptedUploadAndCleansItUpLater() throws IOException {
		BackupId interrupted = BackupId.next(this.clock.instant());
		BackupStore.Upload upload = this.store.upload(interrupted);
		upload.stream().write(new byte[1024]);
		upload.abort();
		BackupId withoutManifest = BackupId.next(this.clock.instant());
		BackupStore.Upload complete = this.store.upload(withoutManifest);
		complete.stream().write(new byte[1024]);
		complete.commit();

		List<String> ids = this.admin.get("/actuator/backups").json().valueStream()
			.map(item -> item.get("id").stringValue())
			.toList();
		assertThat(ids).doesNotContain(interrupted.value(), withoutManifest.value());
		assertThat(this.admin.get("/actuator/backups/" + withoutManifest).status()).isEqualTo(404);
		Path orphan = this.settings.filesystem().directory().resolve(withoutManifest + ".dump");
		assertThat(orphan).exists();
		assertThat(this.settings.filesystem().directory().resolve(interrupted + ".dump.partial")).doesNotExist();

		Files.setLastModifiedTime(orphan, FileTime.from(this.clock.instant().minus(Duration.ofDays(2))));
		this.backups.applyRetention();
		assertThat(orphan).doesNotExist();
	}

	@Test
	void retentionKeepsTheNewestMinimumWhateverTheirAge() throws IOException {
		Instant now = this.clock.instant();
		Instant old = now.minus(Duration.ofDays(90));
		JsonMapper json = JsonMapper.builder().build();
		for (int i = 0; i < 9; i++) {
			Instant createdAt = old.plus(Duration.ofHours(i));
			BackupId id = BackupId.next(createdAt);
			BackupStore.Upload upload = this.store.upload(id);
			try (OutputStream out = upload.stream()) {
				out.write(new byte[] { 1 });
			}
			upload.commit();
			this.store.writeManifest(id, json.writeValueAsBytes(new BackupManifest(id.value(), createdAt,
					BackupTrigger.SCHEDULED, null, 1, "00", "PT1S", null, "1", "15", "pg_dump 15", Map.of())));
		}
		long recent = this.backups.manifests().stream().filter(m -> m.createdAt().isAfter(now.minus(this.settings.retention()))).count();

		this.backups.applyRetention();

		List<BackupManifest> left = this.backups.manifests();
		long oldLeft = left.stream().filter(m -> m.createdAt().isBefore(now.minus(this.settings.retention()))).count();
		assertThat(left).hasSizeGreaterThanOrEqualTo(this.settings.keepAtLeast());
		assertThat(oldLeft).isEqualTo(Math.max(0, this.settings.keepAtLeast() - recent));
		assertThat(left.size() - oldLeft).isEqualTo(recent);
	}

	@Test
	void passesARestoreDrillIntoAScratchDatabase() {
		this.support.registerSensor("drilled");
		String id = this.support.backup().get("id").stringValue();
		List<String> before = this.support.snapshot();

		JsonNode drill = this.support.restore("{\"backupId\":\"%s\",\"target\":\"scratch\"}".formatted(id));

		assertThat(drill.get("status").stringValue()).as(drill.toString()).isEqualTo("SUCCEEDED");
		assertThat(drill.get("target").stringValue()).isEqualTo("SCRATCH");
		assertThat(drill.get("checks").get("problems").isEmpty()).isTrue();
		assertThat(drill.get("checks").get("rows").longValue()).isPositive();
		assertThat(this.jdbc.queryForObject("select count(*) from pg_database where datname like 'iot_drill_%'",
				Integer.class)).isZero();
		assertThat(this.support.snapshot()).isEqualTo(before);
	}

	@Test
	void answersWritesWith503DuringMaintenance() {
		this.maintenanceFlag.enter("test of the write barrier");
		try {
			Response write = this.admin.post("/api/sensors",
					"{\"name\":\"refused\",\"kind\":\"TEMPERATURE\",\"site\":\"maintenance\"}");
			assertThat(write.status()).isEqualTo(503);
			assertThat(write.contentType()).startsWith("application/problem+json");
			assertThat(write.header("Retry-After")).hasValue("30");
			assertThat(write.json().get("title").stringValue()).isEqualTo("In maintenance");
			assertThat(this.admin.get("/api/sensors").status()).isEqualTo(200);
			JsonNode health = this.admin.get("/actuator/health").json();
			assertThat(health.get("components").get("maintenance").get("status").stringValue())
				.isEqualTo("OUT_OF_SERVICE");
		}
		finally {
			this.maintenanceFlag.leave();
		}
		assertThat(this.admin.post("/api/sensors", "{\"name\":\"accepted\",\"kind\":\"TEMPERATURE\",\"site\":\""
				+ UUID.randomUUID() + "\"}").status()).isEqualTo(201);
	}

	@Test
	void reportsPgDumpVersionInHealth() {
		JsonNode backup = this.admin.get("/actuator/health").json().get("components").get("backup");
		assertThat(backup.get("status").stringValue()).isEqualTo("UP");
		assertThat(backup.get("details").get("pgDump").stringValue()).contains("15");
	}

	@Test
	void exposesTheBackupMetricsUnderTheirAgreedNames() {
		this.support.backup();

		String metrics = this.admin.get("/actuator/prometheus").body();

		assertThat(metrics).contains("iot_backup_last_success_timestamp_seconds ", "iot_backup_duration_seconds_count ",
				"iot_backup_size_bytes ", "iot_backup_running ", "iot_restore_running ",
				"iot_restore_total{outcome=\"succeeded\",target=\"live\"}",
				"iot_restore_total{outcome=\"failed\",target=\"scratch\"}",
				"iot_restore_drill_last_success_timestamp_seconds ", "iot_restore_drill_last_outcome ",
				"iot_maintenance_active ", "iot_maintenance_since_timestamp_seconds ");
	}


}
