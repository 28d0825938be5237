/**
 * Alert rules and their evaluation: thresholds with hysteresis, per (rule, sensor) evaluation state, the
 * module's own view of sensors and offline detection.
 */
@org.jspecify.annotations.NullMarked
package com.acme.iot.alerts.rules;
