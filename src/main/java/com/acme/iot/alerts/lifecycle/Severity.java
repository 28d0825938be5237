package com.acme.iot.alerts.lifecycle;

/**
 * How urgent an alert is, most urgent first; a channel's {@code minSeverity} lets through that level and
 * every more urgent one.
 */
public enum Severity {

	CRITICAL, MAJOR, MINOR, WARNING;

	public boolean isAtLeast(Severity minimum) {
		return ordinal() <= minimum.ordinal();
	}

}
