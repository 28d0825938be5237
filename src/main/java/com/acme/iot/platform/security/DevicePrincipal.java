package com.acme.iot.platform.security;

import java.security.Principal;

/**
 * A caller authenticated by a device token; {@code deviceId} is the id of the sensor the token belongs to.
 */
public record DevicePrincipal(String deviceId) implements Principal {

	@Override
	public String getName() {
		return "device:" + this.deviceId;
	}

}
