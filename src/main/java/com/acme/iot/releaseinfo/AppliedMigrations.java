package com.acme.iot.releaseinfo;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The migrations the database says ran, read from Flyway's history table on every call: a newer release on
 * another replica may have migrated the schema since this one started.
 */
@Component
class AppliedMigrations {

	private static final Logger log = LoggerFactory.getLogger(AppliedMigrations.class);

	private final JdbcClient jdbc;

	private final String historyTable;

	AppliedMigrations(JdbcClient jdbc, Flyway flyway) {
		this.jdbc = jdbc;
		String schema = flyway.getConfiguration().getDefaultSchema();
		String table = "\"" + flyway.getConfiguration().getTable().replace("\"", "\"\"") + "\"";
		this.historyTable = (schema != null) ? "\"" + schema.replace("\"", "\"\"") + "\"." + table : table;
	}

	/** The applied versions, or empty when the database cannot be asked. */
	Optional<Applied> versions() {
		try {
			List<String> versions = this.jdbc
				.sql("select version from " + this.historyTable + " where success and version is not null")
				.query(String.class)
				.list();
			return versions.stream()
				.max(Comparator.comparing(MigrationVersion::fromVersion))
				.map(current -> new Applied(current, versions));
		}
		catch (DataAccessException ex) {
			log.debug("Cannot read the applied migrations", ex);
			return Optional.empty();
		}
	}

	/** The newest applied version and all applied versions. */
	record Applied(String current, List<String> all) {
	}

}
