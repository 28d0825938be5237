package com.acme.iot.platform.security;

import java.util.Optional;

/**
 * Implemented by the module that owns devices: finds which device a device-token hash belongs to. The
 * platform never stores device tokens itself.
 */
public interface DeviceTokenResolver {

	Optional<DevicePrincipal> resolve(String tokenHash);

}
