package com.acme.iot.backup;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Runs {@code pg_dump}/{@code pg_restore} against the service's own database. The password reaches them only
 * through {@code PGPASSWORD} in the child's environment: never on a command line (visible in {@code ps}) or
 * in a log line.
 */
@Component
class PostgresTools {

	private static final Pattern MAJOR = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(\\.\\d+)?");

	private final JdbcConnectionDetails connection;

	private final JdbcTemplate jdbc;

	private final BackupSettings settings;

	PostgresTools(JdbcConnectionDetails connection, DataSource dataSource, BackupSettings settings) {
		this.connection = connection;
		this.jdbc = new JdbcTemplate(dataSource);
		this.settings = settings;
	}

	Path pgDump() {
		return locate(this.settings.pgDumpPath(), "pg_dump", null);
	}

	Path pgRestore() {
		return locate(this.settings.pgRestorePath(), "pg_restore", this.settings.pgDumpPath());
	}

	/** psql of the same client installation as pg_restore: it applies the live restore in one transaction. */
	Path psql() {
		return locate(null, "psql", pgRestore());
	}

	private static Path locate(@Nullable Path configured, String command, @Nullable Path sibling) {
		if (configured != null) {
			if (!Files.isExecutable(configured)) {
				throw new BackupException("tool-missing", configured + " is not an executable " + command);
			}
			return configured;
		}
		if (sibling != null && sibling.getParent() != null && Files.isExecutable(sibling.resolveSibling(command))) {
			return sibling.resolveSibling(command);
		}
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
				return Path.of(directory, command);
			}
		}
		throw new BackupException("tool-missing",
				command + " is not on the PATH; install postgresql-client or set iot.backup.pg-dump-path");
	}

	/** Full version line of a tool, e.g. {@code pg_dump (PostgreSQL) 15.14}. */
	String toolVersion(Path tool) {
		try {
			Process process = new ProcessBuilder(tool.toString(), "--version").redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new BackupException("tool-missing", tool + " --version failed: " + out);
			}
			return out;
		}
		catch (IOException ex) {
			throw new BackupException("tool-missing", "Cannot run " + tool + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackupException("interrupted", "Interrupted while checking " + tool);
		}
	}

	static int majorOf(String versionLine) {
		Matcher matcher = MAJOR.matcher(versionLine);
		if (!matcher.find()) {
			throw new BackupException("tool-version", "Cannot read a PostgreSQL version from '" + versionLine + "'");
		}
		return Integer.parseInt(matcher.group(1));
	}

	String serverVersion() {
		return this.jdbc.queryForObject("show server_version", String.class);
	}

	int serverMajor() {
		Integer number = this.jdbc.queryForObject("show server_version_num", Integer.class);
		return number == null ? 0 : number / 10000;
	}

	/** The version check reported in health and made before every backup. */
	VersionCheck checkVersions() {
		String dumpVersion = toolVersion(pgDump());
		int dumpMajor = majorOf(dumpVersion);
		int serverMajor = serverMajor();
		return new VersionCheck(dumpVersion, dumpMajor, serverVersion(), serverMajor);
	}

	/** pg_dump refuses servers of a newer major version; an older server is fine. */
	record VersionCheck(String pgDumpVersion, int pgDumpMajor, String serverVersion, int serverMajor) {

		boolean compatible() {
			return this.pgDumpMajor >= this.serverMajor;
		}

		String problem() {
			return "pg_dump " + this.pgDumpMajor + " cannot dump PostgreSQL " + this.serverMajor
					+ ": install postgresql-client-" + this.serverMajor + " or set iot.backup.pg-dump-path";
		}

	}

	String database() {
		return target().getProperty("PGDBNAME");
	}

	/** Connection options of the live database, with another database name (scratch drills). */
	List<String> connectionArguments(String database) {
		Properties target = target();
		return List.of("--host", target.getProperty("PGHOST"), "--port", target.getProperty("PGPORT"), "--username",
				this.connection.getUsername(), "--dbname", database, "--no-password");
	}

	ProcessBuilder process(List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(command);
		Map<String, String> environment = builder.environment();
		environment.keySet().removeIf(name -> name.startsWith("PG"));
		String password = this.connection.getPassword();
		if (StringUtils.hasLength(password)) {
			environment.put("PGPASSWORD", password);
		}
		Properties target = target();
		String sslMode = target.getProperty("sslmode");
		if (sslMode != null) {
			environment.put("PGSSLMODE", sslMode);
		}
		environment.put("PGAPPNAME", "iot-api-backup");
		environment.put("PGCONNECT_TIMEOUT", "15");
		return builder;
	}

	/** A direct connection to another database of the same server (outside the pool: scratch drills). */
	Connection connect(String database) throws SQLException {
		Properties target = target();
		String url = "jdbc:postgresql://" + target.getProperty("PGHOST") + ":" + target.getProperty("PGPORT") + "/"
				+ database + (target.getProperty("sslmode") != null ? "?sslmode=" + target.getProperty("sslmode") : "");
		return DriverManager.getConnection(url, this.connection.getUsername(), this.connection.getPassword());
	}

	private Properties target() {
		Properties properties = Driver.parseURL(this.connection.getJdbcUrl(), null);
		if (properties == null) {
			throw new BackupException("configuration", "Not a PostgreSQL JDBC URL: the backup module needs PostgreSQL");
		}
		String host = properties.getProperty("PGHOST");
		String port = properties.getProperty("PGPORT");
		if (host.contains(",")) {
			properties.setProperty("PGHOST", host.substring(0, host.indexOf(',')));
			properties.setProperty("PGPORT", port.substring(0, port.indexOf(',') < 0 ? port.length() : port.indexOf(',')));
		}
		return properties;
	}

	/**
	 * Reads what a tool writes to stderr on a daemon thread (so a chatty tool never blocks on a full pipe) and
	 * keeps the first 64 KiB for the error message.
	 */
	static ToolErrors errors(Process process) {
		return new ToolErrors(process);
	}

	static final class ToolErrors {

		private final Process process;

		private final ByteArrayOutputStream tail = new ByteArrayOutputStream();

		private final Thread reader;

		private ToolErrors(Process process) {
			this.process = process;
			InputStream stream = process.getErrorStream();
			this.reader = new Thread(() -> {
				byte[] buffer = new byte[8192];
				try {
					int read;
					while ((read = stream.read(buffer)) >= 0) {
						synchronized (this.tail) {
							if (this.tail.size() < 64 * 1024) {
								this.tail.write(buffer, 0, read);
							}
						}
					}
				}
				catch (IOException ex) {
					// the stream was closed; what was read is kept
				}
			}, "pg-tool-stderr");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		/**
		 * What the tool wrote, at most its last 2,000 characters. Once the tool has exited, waits (a few seconds
		 * at most) for the reader to reach the end of the stream first: the tool's last words are the reason it
		 * failed, and its exit can be seen before the reader has copied them.
		 */
		String text() {
			if (!this.process.isAlive()) {
				try {
					this.reader.join(5000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			synchronized (this.tail) {
				String text = this.tail.toString(StandardCharsets.UTF_8).strip();
				return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
			}
		}

		/** Waits for the tool to exit, and throws with its error output unless it exited with 0. */
		void checkExit(String tool) throws InterruptedException {
			int exit = this.process.waitFor();
			if (exit != 0) {
				throw new BackupException(tool + "-failed", tool + " exited with " + exit + ": " + text());
			}
		}

	}

	static List<String> command(Path tool, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(tool.toString());
		command.addAll(List.of(arguments));
		return command;
	}


}
