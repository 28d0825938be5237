/**
 * Notification channels and the outbox that delivers alert changes to them at least once.
 */
@org.jspecify.annotations.NullMarked
package com.acme.iot.alerts.notifications;
