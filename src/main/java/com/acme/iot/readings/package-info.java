/**
 * Readings: the time series of every sensor — ingestion, idempotent history, aggregates, retention and the
 * live stream.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Readings",
		allowedDependencies = { "sensors", "platform :: *" })
@org.jspecify.annotations.NullMarked
package com.acme.iot.readings;
