/**
 * Alerts: threshold rules with hysteresis, the alert lifecycle, offline-sensor detection and notification
 * delivery, driven by the events of the sensors and readings modules.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Alerts")
@org.jspecify.annotations.NullMarked
package com.acme.iot.alerts;
