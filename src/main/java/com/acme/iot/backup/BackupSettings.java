package com.acme.iot.backup;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the backup module: where dumps go, when they are taken, how long they are kept.
 *
 * @param store {@code filesystem} (default) or {@code azure}
 * @param schedule cron (UTC) of the scheduled backup; {@code -} disables it
 * @param lockAtMostFor how long the scheduled backup's cluster lock is held at most if a replica dies
 *     mid-backup; well above the longest dump
 * @param retention how long backups are kept
 * @param keepAtLeast how many of the newest backups survive retention whatever their age
 * @param orphanAge how old a dump without a manifest must be before it is deleted as an interrupted upload
 * @param drillSchedule cron (UTC) of the weekly restore drill of the newest backup; {@code -} disables it
 * @param pgDumpPath {@code pg_dump} to use; found on the PATH when empty
 * @param pgRestorePath {@code pg_restore} to use; next to {@code pg_dump} or on the PATH when empty
 * @param maintenancePollInterval how often every replica reads the maintenance flag
 * @param maintenanceRetryAfter the {@code Retry-After} of writes refused during maintenance
 * @param filesystem the filesystem store
 * @param azure the Azure Blob Storage store
 */
@ConfigurationProperties("iot.backup")
record BackupSettings(@DefaultValue("filesystem") StoreType store, @DefaultValue("0 0 2 * * *") String schedule,
		@DefaultValue("PT12H") Duration lockAtMostFor, @DefaultValue("P30D") Duration retention,
		@DefaultValue("7") int keepAtLeast, @DefaultValue("PT24H") Duration orphanAge,
		@DefaultValue("0 0 4 * * SUN") String drillSchedule, @Nullable Path pgDumpPath, @Nullable Path pgRestorePath,
		@DefaultValue("PT2S") Duration maintenancePollInterval, @DefaultValue("PT30S") Duration maintenanceRetryAfter,
		@DefaultValue Filesystem filesystem, @DefaultValue Azure azure) {

	/** Where dumps are kept. */
	enum StoreType {

		FILESYSTEM, AZURE

	}

	/**
	 * @param directory folder of the dumps and their manifests
	 */
	record Filesystem(@DefaultValue("./data/backups") Path directory) {
	}

	/**
	 * Azure Blob Storage; authenticated by {@code connectionString}, else {@code endpoint} + {@code sasToken},
	 * else {@code endpoint} with {@code DefaultAzureCredential} (managed identity).
	 *
	 * @param connectionString storage account connection string (from the environment, a secret)
	 * @param endpoint blob service endpoint, e.g. {@code https://acct.blob.core.windows.net}
	 * @param sasToken shared access signature (from the environment, a secret)
	 * @param container container of the backups, created when missing
	 * @param blockSize block size of uploads: 50,000 blocks × 16 MiB allow dumps up to 781 GiB; smaller blocks
	 *     overlap the upload with the dump better
	 * @param maxConcurrency blocks uploaded in parallel (memory = block size × this)
	 */
	record Azure(@Nullable String connectionString, @Nullable URI endpoint, @Nullable String sasToken,
			@DefaultValue("backups") String container, @DefaultValue("16MB") DataSize blockSize,
			@DefaultValue("4") int maxConcurrency) {
	}

}
