package com.acme.iot.alerts.lifecycle;

/**
 * Lifecycle of an alert: {@code OPEN → ACKNOWLEDGED → RESOLVED}, or straight from open to resolved.
 */
enum AlertState {

	OPEN, ACKNOWLEDGED, RESOLVED

}
