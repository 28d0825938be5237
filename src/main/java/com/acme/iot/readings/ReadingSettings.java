package com.acme.iot.readings;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import com.acme.iot.sensors.SensorKind;

/**
 * Settings of the readings module.
 *
 * @param retention how long readings are kept; older ones are deleted by the retention job and refused at
 * ingestion
 * @param retentionByKind a different retention for some kinds, e.g. {@code iot.readings.retention-by-kind.co2=P30D}
 * @param partitionsAhead how many monthly partitions after the current month the partition job keeps ready
 * @param maxBatchSize most readings one request may carry (413 beyond)
 * @param futureTolerance how far in the future a measurement time may lie (device clocks drift)
 * @param sensorCacheSize most sensors whose kind and status are cached for validating ingestion
 * @param sensorCacheTtl how long a cached sensor is trusted: sensor events evict entries only on the replica
 * that published them, so this bounds how long another replica (or any replica after a database restore)
 * may accept readings for a sensor decommissioned meanwhile
 * @param streamPollInterval how often open live streams look for newly committed readings
 * @param streamTimeout how long one live stream stays open before the client has to reconnect
 */
@ConfigurationProperties("iot.readings")
public record ReadingSettings(@DefaultValue("P400D") Duration retention,
		@DefaultValue Map<SensorKind, Duration> retentionByKind, @DefaultValue("3") int partitionsAhead,
		@DefaultValue("10000") int maxBatchSize, @DefaultValue("PT5M") Duration futureTolerance,
		@DefaultValue("100000") int sensorCacheSize, @DefaultValue("PT30S") Duration sensorCacheTtl,
		@DefaultValue("PT0.5S") Duration streamPollInterval,
		@DefaultValue("PT30M") Duration streamTimeout) {

	/** Retention of one kind of sensor. */
	Duration retentionOf(SensorKind kind) {
		return this.retentionByKind.getOrDefault(kind, this.retention);
	}

	/** The longest retention of any kind: a partition older than that holds nothing worth keeping. */
	Duration longestRetention() {
		return this.retentionByKind.values().stream().reduce(this.retention, (a, b) -> a.compareTo(b) >= 0 ? a : b);
	}

}
