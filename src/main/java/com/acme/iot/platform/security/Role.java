package com.acme.iot.platform.security;

/**
 * What an API token or a JWT user may do. Each role includes the ones before it.
 */
public enum Role {

	/** Reads everything. */
	READER,
	/** Also manages sensors and alert rules, acknowledges alerts, ingests for gateways. */
	OPERATOR,
	/** Also manages tokens, channels and the operations endpoints (backup, restore). */
	ADMIN;

	public String authority() {
		return "ROLE_" + name();
	}

	/** Authority of a device token: it may only post readings for its own sensor. */
	public static final String DEVICE_AUTHORITY = "ROLE_DEVICE";

}
