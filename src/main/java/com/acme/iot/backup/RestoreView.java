package com.acme.iot.backup;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A restore or drill as {@code GET /actuator/restore} shows it; {@code checks} holds what a drill verified.
 */
record RestoreView(String id, String backupId, String target, BackupRun.Status status, String phase,
		@Nullable String error, @Nullable String requestedBy, Instant startedAt, @Nullable Instant finishedAt,
		@Nullable Long bytesRead, @Nullable JsonNode checks) {
}
