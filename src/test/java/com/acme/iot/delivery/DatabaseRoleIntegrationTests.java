package com.acme.iot.delivery;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database-role job's exact command (parsed from infra/modules/database-role) against a real PostgreSQL 15,
 * whose administrator is, like Azure's, a non-superuser with CREATEDB and CREATEROLE owning the application
 * database an earlier release filled: the role it creates can do what the service and the restore swap need
 * (issue 13) and nothing more, and running it again rotates the password.
 */
class DatabaseRoleIntegrationTests {

	private static final Path DEBIAN_PG_BIN = Path.of("/usr/lib/postgresql/15/bin");

	private static final String SUPERUSER_PASSWORD = "su-" + UUID.randomUUID();

	private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();

	private static Path directory;

	private static int port;

	@BeforeAll
	static void startClusterWithAnAzureLikeAdministrator() throws Exception {
		Path initdb = serverTool("initdb");
		ExternalTools.require("psql");
		directory = Files.createTempDirectory("iot-db-role");
		Path passwordFile = directory.resolve("pwfile");
		Files.writeString(passwordFile, SUPERUSER_PASSWORD + "\n");
		if ("root".equals(System.getProperty("user.name"))) {
			UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
			Files.setOwner(directory, postgres);
			Files.setOwner(passwordFile, postgres);
		}
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		asPostgres(initdb.toString(), "-D", directory.resolve("data").toString(), "-U", "postgres",
				"--auth=scram-sha-256", "--pwfile=" + passwordFile);
		asPostgres(serverTool("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-l",
				directory.resolve("log").toString(), "-o", "-p " + port + " -k " + directory
						+ " -c listen_addresses=127.0.0.1 -c fsync=off",
				"-w", "start");
		sql("postgres", "postgres", SUPERUSER_PASSWORD, "CREATE ROLE iotadmin LOGIN CREATEDB CREATEROLE PASSWORD '"
				+ ADMIN_PASSWORD + "'", "CREATE DATABASE iot OWNER iotadmin");
		sql("iot", "iotadmin", ADMIN_PASSWORD, "CREATE TABLE sensor (id uuid PRIMARY KEY, name text)",
				"CREATE SEQUENCE reading_seq", "INSERT INTO sensor VALUES (gen_random_uuid(), 'created as the admin')");
	}

	@AfterAll
	static void stopCluster() throws Exception {
		if (directory != null) {
			asPostgres(serverTool("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-m", "immediate", "stop");
			FileSystemUtils.deleteRecursively(directory);
		}
	}

	@Test
	void theRoleOwnsTheDatabaseAndMaySwapRestoredDatabasesButNothingMore() throws Exception {
		String password = "app-" + UUID.randomUUID();
		runJob(password);

		try (Connection app = connect("iot", "iot_app", password); Statement statement = app.createStatement()) {
			assertThat(single(statement, "SELECT count(*) FROM sensor")).isEqualTo("1");
			assertThat(single(statement, "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'iot'"))
				.isEqualTo("iot_app");
			assertThat(single(statement, "SELECT tableowner FROM pg_tables WHERE tablename = 'sensor'")).isEqualTo("iot_app");
			statement.execute("CREATE TABLE reading (sensor uuid, value float8)");
			assertThatThrownBy(() -> statement.execute("CREATE ROLE intruder")).isInstanceOf(SQLException.class);
			assertThatThrownBy(() -> statement.execute("ALTER ROLE iot_app SUPERUSER")).isInstanceOf(SQLException.class);
			assertThat(single(statement, "SELECT rolcreatedb::text || rolsuper::text || rolcreaterole::text || rolreplication::text "
					+ "|| rolbypassrls::text FROM pg_roles WHERE rolname = 'iot_app'")).isEqualTo("truefalsefalsefalsefalse");
		}
		// the restore swap: a new database, the live one renamed away and replaced, the old copy dropped
		try (Connection maintenance = connect("postgres", "iot_app", password);
				Connection other = connect("iot", "iot_app", password);
				Statement statement = maintenance.createStatement()) {
			statement.execute("CREATE DATABASE iot_restore_1");
			assertThat(single(statement, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'iot' AND usename = 'iot_app'"))
				.isEqualTo("1");
			assertThat(single(statement, "SELECT bool_and(pg_terminate_backend(pid))::text FROM pg_stat_activity "
					+ "WHERE datname = 'iot' AND usename = 'iot_app'")).isEqualTo("true");
			waitUntilNoSession(statement, "iot");
			statement.execute("ALTER DATABASE iot RENAME TO iot_replaced_1");
			statement.execute("ALTER DATABASE iot_restore_1 RENAME TO iot");
			statement.execute("DROP DATABASE iot_replaced_1");
			assertThat(other.isValid(2)).as("the other session was ended").isFalse();
		}
	}

	@Test
	void runningTheJobAgainRotatesThePasswordAndKeepsTheRole() throws Exception {
		String first = "app-" + UUID.randomUUID();
		String second = "app-" + UUID.randomUUID();
		runJob(first);
		runJob(second);

		try (Connection app = connect("iot", "iot_app", second)) {
			assertThat(app.isValid(2)).isTrue();
		}
		assertThatThrownBy(() -> connect("iot", "iot_app", first).close()).isInstanceOf(SQLException.class);
	}

	@Test
	void theJobFailsWithoutAPassword() throws Exception {
		JobRun run = job(Map.of("APP_PASSWORD", ""));

		assertThat(run.exitCode()).as(run.output()).isNotZero();
		assertThat(run.output()).contains("APP_PASSWORD must be set");
	}

	private static void runJob(String password) throws Exception {
		JobRun run = job(Map.of("APP_PASSWORD", password));
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).contains("iot_app owns iot").doesNotContain(password);
	}

	/** The job's container as Terraform defines it: its command and environment, the secrets filled in. */
	private static JobRun job(Map<String, String> overrides) throws Exception {
		JsonNode container = TerraformFiles.module("database-role", "main")
			.at("/resource/azurerm_container_app_job/this/0/template/0/container/0");
		List<String> command = new ArrayList<>();
		container.get("command").valueStream().forEach((part) -> command.add(part.stringValue()));
		command.add(container.at("/args/0").stringValue());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.put("PATH", DEBIAN_PG_BIN + ":" + env.get("PATH"));
		env.putAll(Map.of("PGHOST", "127.0.0.1", "PGPORT", String.valueOf(port), "PGDATABASE", "postgres", "PGSSLMODE",
				"disable", "PGUSER", "iotadmin", "PGPASSWORD", ADMIN_PASSWORD, "APP_ROLE", "iot_app", "APP_DATABASE", "iot"));
		env.put("APP_ROLE_SQL", Files.readString(Path.of("infra/modules/database-role/app-role.sql")));
		overrides.forEach((name, value) -> {
			if (value.isEmpty()) {
				env.remove(name);
			}
			else {
				env.put(name, value);
			}
		});
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new JobRun(process.exitValue(), output);
	}

	private record JobRun(int exitCode, String output) {
	}

	private static void waitUntilNoSession(Statement statement, String database) throws Exception {
		for (int i = 0; i < 50; i++) {
			if ("0".equals(single(statement, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'"))) {
				return;
			}
			Thread.sleep(100);
		}
	}

	private static String single(Statement statement, String query) throws SQLException {
		try (ResultSet result = statement.executeQuery(query)) {
			assertThat(result.next()).isTrue();
			return result.getString(1);
		}
	}

	private static Connection connect(String database, String user, String password) throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, user, password);
	}

	private static void sql(String database, String user, String password, String... statements) throws SQLException {
		try (Connection connection = connect(database, user, password); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	private static Path serverTool(String name) {
		Path debian = DEBIAN_PG_BIN.resolve(name);
		return Files.isExecutable(debian) ? debian : ExternalTools.require(name);
	}

	private static void asPostgres(String... command) throws IOException, InterruptedException {
		List<String> full = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(List.of(command));
		Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", full) + ": " + out);
		}
	}

}
