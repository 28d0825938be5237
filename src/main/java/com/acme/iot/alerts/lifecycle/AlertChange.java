package com.acme.iot.alerts.lifecycle;

/**
 * What happened to an alert; all but {@code UPDATED} (new values of an open alert) are notified.
 */
public enum AlertChange {

	OPENED, UPDATED, ACKNOWLEDGED, RESOLVED

}
