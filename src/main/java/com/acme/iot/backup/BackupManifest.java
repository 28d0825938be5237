package com.acme.iot.backup;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Written next to a dump once it is complete: a dump without its manifest is not a backup. Row counts are
 * taken in the dump's own snapshot, so a restore drill can compare them exactly.
 */
record BackupManifest(String id, Instant createdAt, BackupTrigger trigger, @Nullable String label, long sizeBytes,
		String sha256, String duration, @Nullable String appVersion, @Nullable String schemaVersion,
		String serverVersion, String pgDumpVersion, Map<String, Long> rowCounts) {
}
