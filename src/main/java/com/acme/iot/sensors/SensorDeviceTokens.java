package com.acme.iot.sensors;

import java.util.Optional;

import org.springframework.stereotype.Component;

import com.acme.iot.platform.security.DevicePrincipal;
import com.acme.iot.platform.security.DeviceTokenResolver;

/**
 * Lets the platform's security authenticate device tokens, which only this module stores.
 */
@Component
class SensorDeviceTokens implements DeviceTokenResolver {

	private final SensorRepository sensors;

	SensorDeviceTokens(SensorRepository sensors) {
		this.sensors = sensors;
	}

	@Override
	public Optional<DevicePrincipal> resolve(String tokenHash) {
		return this.sensors.findIdByDeviceTokenHash(tokenHash).map(id -> new DevicePrincipal(id.toString()));
	}

}
