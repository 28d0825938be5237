/**
 * Alerts: threshold rules with hysteresis, the alert lifecycle, offline-sensor detection and notification
 * delivery, driven by the events of the sensors and readings modules.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Alerts",
		allowedDependencies = { "platform :: *", "sensors", "readings" })
@org.jspecify.annotations.NullMarked
package com.acme.iot.alerts;
