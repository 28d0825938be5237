package com.acme.iot.backup;

import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A backup as the admin endpoints show it: a complete one from its manifest, a running or failed one from
 * this replica's memory.
 */
record BackupView(@Schema(example = "20261124T020000Z-a1b2c3") String id, BackupRun.Status status,
		@Schema(description = "Progress step while it runs, DONE when complete") String phase, BackupTrigger trigger,
		@Nullable String label, Instant createdAt, @Nullable Instant finishedAt, @Nullable Long sizeBytes,
		long bytesWritten, @Nullable String sha256, @Schema(description = "ISO 8601, e.g. PT12.345S") @Nullable String duration, @Nullable String appVersion,
		@Nullable String schemaVersion, @Nullable String serverVersion, @Nullable String pgDumpVersion,
		@Nullable String error, @Nullable Map<String, Long> rowCounts) {

	static BackupView of(BackupManifest manifest, @Nullable Instant finishedAt) {
		Instant finished = finishedAt != null ? finishedAt
				: manifest.createdAt().plus(java.time.Duration.parse(manifest.duration()));
		return new BackupView(manifest.id(), BackupRun.Status.SUCCEEDED, "DONE", manifest.trigger(), manifest.label(),
				manifest.createdAt(), finished, manifest.sizeBytes(), manifest.sizeBytes(), manifest.sha256(),
				manifest.duration(), manifest.appVersion(), manifest.schemaVersion(), manifest.serverVersion(),
				manifest.pgDumpVersion(), null, manifest.rowCounts());
	}

}
