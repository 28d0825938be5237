package com.acme.iot.backup;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A backup this replica runs or ran: live progress for the endpoint while the dump streams.
 */
final class BackupRun {

	enum Status {

		RUNNING, SUCCEEDED, FAILED

	}

	final BackupId id;

	final BackupTrigger trigger;

	final @Nullable String label;

	final Instant createdAt;

	final AtomicLong bytesWritten = new AtomicLong();

	volatile Status status = Status.RUNNING;

	volatile String phase = "STARTING";

	volatile @Nullable String error;

	volatile @Nullable Instant finishedAt;

	volatile @Nullable BackupManifest manifest;

	BackupRun(BackupId id, BackupTrigger trigger, @Nullable String label, Instant createdAt) {
		this.id = id;
		this.trigger = trigger;
		this.label = label;
		this.createdAt = createdAt;
	}

	BackupView view() {
		BackupManifest done = this.manifest;
		if (done != null && this.status == Status.SUCCEEDED) {
			return BackupView.of(done, this.finishedAt);
		}
		return new BackupView(this.id.value(), this.status, this.phase, this.trigger, this.label, this.createdAt,
				this.finishedAt, null, this.bytesWritten.get(), null, null, null, null, null, null, this.error, null);
	}

}
