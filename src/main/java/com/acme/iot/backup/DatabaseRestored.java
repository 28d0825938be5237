package com.acme.iot.backup;

import java.time.Instant;

/**
 * The live database was replaced by a backup and migrated to this release's schema; caches of database state
 * are stale.
 *
 * @param backupId the backup restored
 * @param backupCreatedAt when that backup was taken: data written after it is gone
 * @param restoredAt when the restore finished
 */
public record DatabaseRestored(BackupId backupId, Instant backupCreatedAt, Instant restoredAt) {
}
