/**
 * Sensors: the registry of physical sensors (kind, site, location, labels), their lifecycle and device tokens.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Sensors", allowedDependencies = "platform :: *")
@org.jspecify.annotations.NullMarked
package com.acme.iot.sensors;
