package com.acme.iot.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupUnitTests {

	@Test
	void readsTheMajorVersionOfPgDump() {
		assertThat(PostgresTools.majorOf("pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)")).isEqualTo(15);
		assertThat(PostgresTools.majorOf("pg_restore (PostgreSQL) 17beta1")).isEqualTo(17);
		assertThatThrownBy(() -> PostgresTools.majorOf("bash: pg_dump: command not found"))
			.isInstanceOf(BackupException.class);
	}

	@Test
	void refusesAPgDumpOlderThanTheServer() {
		var older = new PostgresTools.VersionCheck("pg_dump (PostgreSQL) 15.14", 15, "16.4", 16);
		var newer = new PostgresTools.VersionCheck("pg_dump (PostgreSQL) 16.4", 16, "15.19", 15);

		assertThat(older.compatible()).isFalse();
		assertThat(older.problem()).contains("pg_dump 15 cannot dump PostgreSQL 16").contains("pg-dump-path");
		assertThat(newer.compatible()).isTrue();
	}

	@Test
	void namesBackupsSortablyBySecondsInUtc() {
		BackupId id = BackupId.next(Instant.parse("2026-11-24T02:00:07Z"));

		assertThat(id.value()).matches("20261124T020007Z-[0-9a-f]{6}");
		assertThat(BackupId.isValid("../../etc/passwd")).isFalse();
		assertThatThrownBy(() -> new BackupId("x")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void findsTheTablesOfADump() {
		assertThat(Restores.dumpedPublicTables(java.util.List.of(";", "; Archive created at 2026-11-24 02:00:00 UTC",
				"216; 1259 16401 TABLE public sensor postgres", "3380; 0 16401 TABLE DATA public sensor postgres",
				"217; 1259 16402 TABLE public flyway_schema_history postgres",
				"218; 1259 16403 TABLE bench bench_reading postgres",
				"3230; 2606 16396 CONSTRAINT public sensor sensor_pkey postgres")))
			.containsExactlyInAnyOrder("sensor", "flyway_schema_history");
	}

	@Test
	void keepsTheServiceStateTablesOutOfALiveRestore() {
		assertThat(Restores.isKept("215; 1259 16390 TABLE public backup_maintenance postgres")).isTrue();
		assertThat(Restores.isKept("3380; 0 16390 TABLE DATA public backup_restore postgres")).isTrue();
		assertThat(Restores.isKept("3230; 2606 16396 CONSTRAINT public shedlock shedlock_pkey postgres")).isTrue();
		assertThat(Restores.isKept("3240; 1259 16400 INDEX public backup_restore_by_start postgres")).isTrue();
		assertThat(Restores.isKept("216; 1259 16401 TABLE public sensor postgres")).isFalse();
		assertThat(Restores.isKept("217; 1259 16402 TABLE public flyway_schema_history postgres")).isFalse();
		assertThat(Restores.isKept("218; 1259 16403 TABLE public event_publication postgres")).isFalse();
		assertThat(Restores.isKept(";  Archive created at 2026-11-24 shedlock")).isFalse();
	}

	@Test
	void azureTransportFailuresBecomeStoreFailuresNamingTheCause() {
		OutputStream failing = new OutputStream() {

			@Override
			public void write(int b) {
				throw new RuntimeException(new IllegalStateException("Faulted stream due to underlying sink write failure",
						new ConnectException("Connection refused")));
			}

		};
		var stream = new AzureBackupStore.StoreFailureOutputStream(failing);

		assertThatThrownBy(() -> stream.write(new byte[] { 1, 2 }, 0, 2)).isInstanceOf(IOException.class)
			.hasMessage("blob store request failed: java.net.ConnectException: Connection refused");
		assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class);
		assertThat(AzureBackupStore.StoreFailureOutputStream
			.storeFailure(new RuntimeException(new IllegalStateException("Faulted stream", new RuntimeException())))
			.getMessage()).isEqualTo("blob store request failed: java.lang.IllegalStateException: Faulted stream");
	}

}
