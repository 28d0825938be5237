package com.acme.iot.backup;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A restore or drill as {@code GET /actuator/restore} shows it; {@code checks} holds what a drill verified.
 */
record RestoreView(@Schema(format = "uuid") String id, String backupId,
		@Schema(allowableValues = { "LIVE", "SCRATCH" }) String target, BackupRun.Status status,
		@Schema(description = "Progress step while it runs") String phase, @Nullable String error,
		@Nullable String requestedBy, Instant startedAt, @Nullable Instant finishedAt, @Nullable Long bytesRead,
		@Schema(description = "What a drill verified") @Nullable JsonNode checks) {
}
