package com.acme.iot.alerts;

/**
 * How urgent an alert is, most urgent first; a channel's {@code minSeverity} lets through that level and
 * every more urgent one.
 */
enum Severity {

	CRITICAL, MAJOR, MINOR, WARNING;

	boolean isAtLeast(Severity minimum) {
		return ordinal() <= minimum.ordinal();
	}

}
