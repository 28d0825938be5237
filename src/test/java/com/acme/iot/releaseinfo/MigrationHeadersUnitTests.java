package com.acme.iot.releaseinfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.acme.iot.releaseinfo.ClassifiedMigration.Compatibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The build-time guard of the schema compatibility contract: {@code ./mvnw verify} fails while any migration
 * of the project lacks a valid classification on its first line.
 */
class MigrationHeadersUnitTests {

	static final Path PROJECT_MIGRATIONS = Path.of("src/main/resources/db/migration");

	@Test
	void everyMigrationOfTheProjectDeclaresItsCompatibility() {
		assertThat(PROJECT_MIGRATIONS).isDirectory();
		assertThat(MigrationHeaders.check(PROJECT_MIGRATIONS))
			.as("Every migration's first line must be '-- compatibility: expand' or "
					+ "'-- compatibility: contract since=<release>' (see README, Database migrations)")
			.isEmpty();
	}

	@Test
	void rejectsAnUnclassifiedMigration(@TempDir Path migrations) throws IOException {
		write(migrations.resolve("sensors/V202611242001__sensors_create_sensor.sql"), "-- compatibility: expand\ncreate table sensor (id uuid);\n");
		write(migrations.resolve("readings/V202611250301__readings_drop_unit.sql"), "-- drops a column\nalter table reading drop column unit;\n");

		assertThat(MigrationHeaders.check(migrations)).singleElement()
			.asString()
			.contains("V202611250301__readings_drop_unit.sql")
			.contains("-- compatibility: expand");
	}

	@Test
	void rejectsAContractMigrationThatDoesNotNameItsRelease(@TempDir Path migrations) throws IOException {
		write(migrations.resolve("V202611250302__readings_drop_unit.sql"), "-- compatibility: contract\n");
		write(migrations.resolve("V202611250303__readings_drop_site.sql"), "-- compatibility: contract since=1.4\n");
		write(migrations.resolve("V202611250304__readings_drop_kind.sql"), "-- compatibility: expand since=1.4.0\n");
		write(migrations.resolve("V202611250305__readings_drop_note.sql"), "");

		assertThat(MigrationHeaders.check(migrations)).hasSize(4);
	}

	@Test
	void rejectsAFileThatIsNotAVersionedMigration(@TempDir Path migrations) throws IOException {
		write(migrations.resolve("create_tables.sql"), "-- compatibility: expand\n");

		assertThat(MigrationHeaders.check(migrations)).singleElement()
			.asString()
			.contains("not a versioned migration name");
	}

	@Test
	void readsExpandAndContractClassifications() {
		assertThat(MigrationHeaders.parse("V202611242001__sensors_create_sensor.sql", "-- compatibility: expand"))
			.isEqualTo(new ClassifiedMigration("202611242001", "V202611242001__sensors_create_sensor.sql",
					Compatibility.EXPAND, null));
		assertThat(MigrationHeaders.parse("V202611250301__readings_drop_unit.sql",
				"\uFEFF-- compatibility: contract since=1.4.0\r"))
			.isEqualTo(new ClassifiedMigration("202611250301", "V202611250301__readings_drop_unit.sql",
					Compatibility.CONTRACT, new ReleaseVersion(1, 4, 0)));
	}

	@Test
	void namesTheFileAndTheExpectedHeaderWhenRejecting() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MigrationHeaders.parse("V1__alerts_rules.sql", "create table rule (id uuid);"))
			.withMessageContaining("V1__alerts_rules.sql")
			.withMessageContaining("-- compatibility: contract since=<major.minor.patch>");
	}

	private static void write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

}
