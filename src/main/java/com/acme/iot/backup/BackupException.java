package com.acme.iot.backup;

/**
 * A backup or restore step failed; {@code reason} is the short label of the failure metric.
 */
class BackupException extends RuntimeException {

	private final String reason;

	BackupException(String reason, String message) {
		super(message);
		this.reason = reason;
	}

	BackupException(String reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	String reason() {
		return this.reason;
	}

}
