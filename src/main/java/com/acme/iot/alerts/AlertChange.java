package com.acme.iot.alerts;

/**
 * What happened to an alert; all but {@code UPDATED} (new values of an open alert) are notified.
 */
enum AlertChange {

	OPENED, UPDATED, ACKNOWLEDGED, RESOLVED

}
