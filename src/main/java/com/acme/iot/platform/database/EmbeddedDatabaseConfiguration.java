package com.acme.iot.platform.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts an embedded PostgreSQL 15 when no datasource URL is configured, so the service runs on a fresh
 * machine with nothing installed. Boot's datasource, Flyway and the backup module all reach it through
 * {@link JdbcConnectionDetails}, exactly as they would reach an external server.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDatasourceUrl.class)
class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
		Path dataDirectory = properties.ephemeral()
				? Files.createTempDirectory("iot-embedded-postgres")
				: properties.dataDirectory().toAbsolutePath().normalize();
		Files.createDirectories(dataDirectory);
		if (!properties.ephemeral()) {
			stopOrphanedPostmaster(dataDirectory);
		}
		var builder = EmbeddedPostgres.builder()
			.setDataDirectory(dataDirectory)
			.setCleanDataDirectory(properties.ephemeral())
			.setPGStartupWait(properties.startupTimeout())
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("max_connections", "100");
		if (properties.port() > 0) {
			builder.setPort(properties.port());
		}
		EmbeddedPostgres postgres = builder.start();
		createDatabaseIfMissing(postgres, properties.database());
		log.info("Embedded PostgreSQL ready on 127.0.0.1:{} (data in {}{})", postgres.getPort(), dataDirectory,
				properties.ephemeral() ? ", deleted on shutdown" : "");
		return postgres;
	}

	@Bean
	JdbcConnectionDetails embeddedJdbcConnectionDetails(EmbeddedPostgres postgres,
			EmbeddedDatabaseProperties properties) {
		String url = postgres.getJdbcUrl("postgres", properties.database());
		return new JdbcConnectionDetails() {

			@Override
			public String getUsername() {
				return "postgres";
			}

			@Override
			public String getPassword() {
				return "";
			}

			@Override
			public String getJdbcUrl() {
				return url;
			}

		};
	}

	private static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database) {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
			exists.setString(1, database);
			try (var result = exists.executeQuery()) {
				if (!result.next()) {
					try (var create = connection.createStatement()) {
						create.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
					}
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create the embedded database '" + database + "'", ex);
		}
	}

	/**
	 * A service killed with SIGKILL leaves its postmaster running and holding the data directory; stop it so
	 * this start can take over instead of failing on the lock.
	 */
	private static void stopOrphanedPostmaster(Path dataDirectory) {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		if (!Files.isRegularFile(pidFile)) {
			return;
		}
		try {
			List<String> lines = Files.readAllLines(pidFile);
			if (lines.isEmpty()) {
				return;
			}
			long pid = Long.parseLong(lines.get(0).trim());
			Optional<ProcessHandle> process = ProcessHandle.of(pid)
				.filter(ProcessHandle::isAlive)
				.filter(handle -> handle.info().command().map(c -> c.endsWith("postgres")).orElse(false));
			if (process.isPresent()) {
				log.warn("Stopping orphaned embedded PostgreSQL (pid {}) left by a previous run in {}", pid,
						dataDirectory);
				process.get().destroy();
				process.get().onExit().get(30, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NumberFormatException ex) {
			log.warn("Ignoring unreadable {}", pidFile);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot stop the orphaned PostgreSQL of " + dataDirectory, ex);
		}
	}

	static class NoDatasourceUrl implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
		}

	}

}
