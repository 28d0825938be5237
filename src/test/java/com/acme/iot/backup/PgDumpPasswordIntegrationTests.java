package com.acme.iot.backup;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import com.acme.iot.ApiClient;
import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A backup of a PostgreSQL that requires a password never shows the password on pg_dump's command line
 * ({@code /proc/<pid>/cmdline}, readable by every local user) or in the logs. The embedded PostgreSQL trusts
 * every connection, so this test runs its own Debian PostgreSQL 15 cluster with scram-sha-256 authentication.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.backup.filesystem.directory=${java.io.tmpdir}/iot-backup-tests/${random.uuid}",
				"iot.scheduling.enabled=false" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class PgDumpPasswordIntegrationTests {

	private static final Path DEBIAN_PG_BIN = Path.of("/usr/lib/postgresql/15/bin");

	private static final String PASSWORD = "pw-" + UUID.randomUUID();

	private static Path directory;

	private static Path pgCtl;

	private static int pgPort;

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@BeforeAll
	static void startPasswordProtectedCluster() throws Exception {
		Path initdb = serverTool("initdb");
		pgCtl = serverTool("pg_ctl");
		ExternalTools.require("pg_dump");
		directory = Files.createTempDirectory("iot-pg-password");
		Path passwordFile = directory.resolve("pwfile");
		Files.writeString(passwordFile, PASSWORD + "\n");
		if (isRoot()) {
			// PostgreSQL refuses to run as root: the cluster belongs to the postgres account
			UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
				.lookupPrincipalByName("postgres");
			Files.setOwner(directory, postgres);
			Files.setOwner(passwordFile, postgres);
		}
		pgPort = freePort();
		run(initdb.toString(), "-D", directory.resolve("data").toString(), "-U", "postgres",
				"--auth=scram-sha-256", "--pwfile=" + passwordFile);
		run(pgCtl.toString(), "-D", directory.resolve("data").toString(), "-l", directory.resolve("log").toString(),
				"-o", "-p " + pgPort + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "-w",
				"start");
		try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute("create database iot");
		}
		try (Connection connection = DriverManager.getConnection(jdbcUrl("iot"), "postgres", PASSWORD);
				Statement statement = connection.createStatement()) {
			// enough data for pg_dump to run for a while, so that its command line can be observed
			statement.execute("create schema filler");
			statement.execute("create table filler.blob as select s as id, md5(random()::text) || "
					+ "md5(random()::text) as payload from generate_series(1, 400000) s");
		}
	}

	@DynamicPropertySource
	static void datasource(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> jdbcUrl("iot"));
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.password", () -> PASSWORD);
	}

	@AfterAll
	static void stopCluster() throws Exception {
		if (directory != null) {
			if (Files.isDirectory(directory.resolve("data"))) {
				run(pgCtl.toString(), "-D", directory.resolve("data").toString(), "-m", "immediate", "stop");
			}
			FileSystemUtils.deleteRecursively(directory);
		}
	}

	@Test
	void clusterRequiresThePassword() {
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(jdbcUrl("iot"), "postgres", "wrong").close());
	}

	@Test
	void passwordNeverAppearsOnPgDumpsCommandLineNorInTheLogs(CapturedOutput output) throws Exception {
		ApiClient admin = new ApiClient(this.port, "test-admin-token");
		Set<String> commandLines = ConcurrentHashMap.newKeySet();
		AtomicBoolean watching = new AtomicBoolean(true);
		Thread watcher = new Thread(() -> {
			while (watching.get()) {
				commandLines.addAll(pgDumpCommandLines());
				Thread.onSpinWait();
			}
		});
		watcher.start();
		JsonNode backup;
		try {
			backup = new BackupTestSupport(admin, new JdbcTemplate(this.dataSource)).backup();
		}
		finally {
			watching.set(false);
			watcher.join();
		}

		assertThat(backup.get("status").stringValue()).isEqualTo("SUCCEEDED");
		// other builds on the machine may run pg_dump too: ours is the one aimed at this cluster's port
		List<String> ours = commandLines.stream()
			.filter(commandLine -> commandLine.contains(" --port " + pgPort + " "))
			.toList();
		assertThat(ours).as("pg_dump was observed while it ran").isNotEmpty();
		assertThat(ours).allSatisfy(commandLine -> assertThat(commandLine).contains("--no-password"));
		assertThat(commandLines).allSatisfy(commandLine -> assertThat(commandLine).doesNotContain(PASSWORD));
		assertThat(output.getAll()).contains("Backup " + backup.get("id").stringValue() + " succeeded")
			.doesNotContain(PASSWORD);
	}

	/** The command lines of the pg_dump processes running now, arguments separated by spaces. */
	private static List<String> pgDumpCommandLines() {
		List<String> commandLines = new ArrayList<>();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
				try {
					String commandLine = new String(Files.readAllBytes(process.resolve("cmdline")),
							StandardCharsets.UTF_8).replace('\0', ' ');
					if (commandLine.contains("pg_dump ")) {
						commandLines.add(commandLine);
					}
				}
				catch (IOException ex) {
					// the process ended between listing and reading
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return commandLines;
	}

	private static Path serverTool(String name) {
		Path debian = DEBIAN_PG_BIN.resolve(name);
		return Files.isExecutable(debian) ? debian : ExternalTools.require(name);
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void run(String... command) throws IOException, InterruptedException {
		List<String> full = new ArrayList<>();
		if (isRoot()) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(List.of(command));
		Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int status = process.waitFor();
		if (status != 0) {
			throw new IllegalStateException(String.join(" ", full) + " exited with " + status + ": " + out);
		}
	}

}
