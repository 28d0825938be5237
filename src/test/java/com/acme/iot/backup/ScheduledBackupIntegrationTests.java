package com.acme.iot.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import com.acme.iot.ExternalTools;
import com.acme.iot.IotApiApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas (application contexts) on one database, both scheduled to back up at the same second: exactly
 * one backup is taken between them.
 */
class ScheduledBackupIntegrationTests {

	@Test
	void runsOneScheduledBackupBetweenTwoReplicas() throws Exception {
		ExternalTools.require("pg_dump");
		Path directory = Files.createTempDirectory("iot-backup-replicas");
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			// far enough ahead for both replicas to have started on a slow machine
			ZonedDateTime slot = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120).withNano(0);
			String cron = slot.getSecond() + " " + slot.getMinute() + " " + slot.getHour() + " * * *";
			String[] arguments = { "--server.port=0", "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
					"--spring.datasource.username=postgres", "--spring.datasource.password=",
					"--iot.backup.schedule=" + cron, "--iot.backup.drill-schedule=-",
					"--iot.backup.filesystem.directory=" + directory };
			// one after the other: two SpringApplications starting at once in one JVM race on the shared logging
			// system ("Unable to find Spring Environment in logger context"); real replicas are separate processes
			try (ConfigurableApplicationContext one = new SpringApplicationBuilder(IotApiApplication.class).run(arguments);
					ConfigurableApplicationContext two = new SpringApplicationBuilder(IotApiApplication.class).run(arguments)) {
				assertThat(Instant.now()).as("both replicas started before the slot").isBefore(slot.toInstant());
				Instant deadline = slot.toInstant().plus(Duration.ofSeconds(30));
				Backups backups = one.getBean(Backups.class);
				while (backups.manifests().isEmpty() && Instant.now().isBefore(deadline)) {
					Thread.sleep(250);
				}
				// give the slower replica time to (wrongly) run the same slot
				Thread.sleep(5000);

				List<BackupManifest> taken = two.getBean(Backups.class).manifests();
				assertThat(taken).hasSize(1);
				assertThat(taken.get(0).trigger()).isEqualTo(BackupTrigger.SCHEDULED);
				assertThat(new JdbcTemplate(postgres.getPostgresDatabase())
					.queryForObject("select count(*) from shedlock where name = 'backup'", Integer.class)).isEqualTo(1);
			}
		}
	}

}
