/**
 * What the alerts module's sub-domains share: settings, metrics, SQL conversions and JSON merge patch.
 */
@org.jspecify.annotations.NullMarked
package com.acme.iot.alerts.support;
