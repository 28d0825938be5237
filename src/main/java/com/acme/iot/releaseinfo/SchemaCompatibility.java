package com.acme.iot.releaseinfo;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.flywaydb.core.api.MigrationVersion;

import com.acme.iot.releaseinfo.ClassifiedMigration.Compatibility;

/**
 * Decides which releases can still run against a database: every release from the newest {@code since} of
 * the applied contract migrations on. Expand migrations never raise the bar, which is what makes an
 * instant rollback across them safe.
 */
final class SchemaCompatibility {

	private final Map<MigrationVersion, ClassifiedMigration> migrations;

	private final ReleaseVersion earliestRelease;

	/**
	 * @param migrations the classified migrations this release knows
	 * @param earliestRelease the first release of the service: every release is compatible while no contract
	 * migration is applied
	 */
	SchemaCompatibility(Collection<ClassifiedMigration> migrations, ReleaseVersion earliestRelease) {
		this.migrations = migrations.stream()
			.collect(Collectors.toUnmodifiableMap(migration -> MigrationVersion.fromVersion(migration.version()),
					Function.identity()));
		this.earliestRelease = earliestRelease;
	}

	/** The oldest release that works against a database where the migrations of {@code appliedVersions} ran. */
	ReleaseVersion oldestCompatibleRelease(Collection<String> appliedVersions) {
		Set<MigrationVersion> applied = appliedVersions.stream()
			.map(MigrationVersion::fromVersion)
			.collect(Collectors.toSet());
		return applied.stream()
			.map(this.migrations::get)
			.filter(migration -> migration != null && migration.compatibility() == Compatibility.CONTRACT)
			.map(ClassifiedMigration::since)
			.filter(since -> since != null)
			.reduce(this.earliestRelease, (oldest, since) -> (since.compareTo(oldest) > 0) ? since : oldest);
	}

}
