/**
 * The alert lifecycle: alerts open, are acknowledged and resolve; the alert API and its live stream.
 */
@org.jspecify.annotations.NullMarked
package com.acme.iot.alerts.lifecycle;
