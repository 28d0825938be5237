package com.acme.iot.releaseinfo;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaCompatibilityUnitTests {

	static final ReleaseVersion FIRST_RELEASE = ReleaseVersion.parse("0.1.0");

	static final List<ClassifiedMigration> MIGRATIONS = List.of(
			migration("202611242000", "-- compatibility: expand"),
			migration("202611242001", "-- compatibility: expand"),
			migration("202611250301", "-- compatibility: contract since=1.9.0"),
			migration("202611250302", "-- compatibility: expand"),
			migration("202611250303", "-- compatibility: contract since=1.10.0"),
			migration("202611250304", "-- compatibility: contract since=1.2.0"));

	final SchemaCompatibility compatibility = new SchemaCompatibility(MIGRATIONS, FIRST_RELEASE);

	@Test
	void keepsEveryReleaseCompatibleWhileOnlyExpandMigrationsRan() {
		assertThat(this.compatibility.oldestCompatibleRelease(List.of("202611242000", "202611242001")))
			.isEqualTo(FIRST_RELEASE);
	}

	@Test
	void keepsEveryReleaseCompatibleOnAnEmptySchema() {
		assertThat(this.compatibility.oldestCompatibleRelease(List.of())).isEqualTo(FIRST_RELEASE);
	}

	@Test
	void raisesTheOldestCompatibleReleaseToTheReleaseOfAnAppliedContractMigration() {
		assertThat(this.compatibility
			.oldestCompatibleRelease(List.of("202611242000", "202611242001", "202611250301", "202611250302")))
			.hasToString("1.9.0");
	}

	@Test
	void takesTheNewestReleaseAmongAppliedContractMigrationsComparingNumerically() {
		assertThat(this.compatibility.oldestCompatibleRelease(
				List.of("202611242000", "202611250301", "202611250302", "202611250303", "202611250304")))
			.hasToString("1.10.0");
	}

	@Test
	void ignoresContractMigrationsNotYetApplied() {
		assertThat(this.compatibility.oldestCompatibleRelease(List.of("202611242000", "202611250304")))
			.hasToString("1.2.0");
	}

	@Test
	void ordersReleaseNumbersNumericallyAndIgnoresQualifiers() {
		assertThat(ReleaseVersion.parse("1.10.0")).isGreaterThan(ReleaseVersion.parse("1.9.3"));
		assertThat(ReleaseVersion.parseLenient("0.1.0-SNAPSHOT")).isEqualTo(FIRST_RELEASE);
	}

	private static ClassifiedMigration migration(String version, String header) {
		return MigrationHeaders.parse("V" + version + "__test_migration.sql", header);
	}

}
