package com.acme.iot.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Drives backups and restores over HTTP the way the deploy scripts do, and compares database contents.
 */
final class BackupTestSupport {

	private final ApiClient admin;

	private final JdbcTemplate jdbc;

	BackupTestSupport(ApiClient admin, JdbcTemplate jdbc) {
		this.admin = admin;
		this.jdbc = jdbc;
	}

	String registerSensor(String name) {
		Response created = this.admin.post("/api/sensors", "{\"name\":\"" + name + "\",\"kind\":\"TEMPERATURE\","
				+ "\"site\":\"backup-" + UUID.randomUUID() + "\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("id").stringValue();
	}

	/** Every row of the data tables, as text: equal snapshots mean identical data. */
	List<String> snapshot() {
		return this.jdbc.queryForList("""
				select 'sensor ' || row_to_json(s)::text from sensor s
				union all select 'token ' || t.id || ' ' || t.secret_hash || ' ' || coalesce(t.revoked_at::text, '')
				from api_token t order by 1""", String.class);
	}

	JsonNode backup() {
		Response started = this.admin.post("/actuator/backups", "{\"label\":\"test\"}");
		assertThat(started.status()).as(started.toString()).isEqualTo(202);
		assertThat(started.json().get("status").stringValue()).isEqualTo("RUNNING");
		JsonNode done = awaitBackup(started.json().get("id").stringValue());
		assertThat(done.get("status").stringValue()).as(done.toString()).isEqualTo("SUCCEEDED");
		return done;
	}

	JsonNode awaitBackup(String id) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(deadline)) {
			Response response = this.admin.get("/actuator/backups/" + id);
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			if (!response.json().get("status").stringValue().equals("RUNNING")) {
				return response.json();
			}
			pause();
		}
		return fail("backup " + id + " did not finish in time");
	}

	JsonNode restore(String body) {
		Response started = this.admin.post("/actuator/restore", body);
		assertThat(started.status()).as(started.toString()).isEqualTo(202);
		return awaitRestore(started.json().get("id").stringValue());
	}

	JsonNode awaitRestore(String id) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
		while (Instant.now().isBefore(deadline)) {
			Response response = this.admin.get("/actuator/restore");
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			JsonNode restore = response.json();
			if (restore.get("id").stringValue().equals(id) && !restore.get("status").stringValue().equals("RUNNING")) {
				return restore;
			}
			pause();
		}
		return fail("restore " + id + " did not finish in time");
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
