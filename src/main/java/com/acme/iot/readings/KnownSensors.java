package com.acme.iot.readings;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import com.acme.iot.sensors.SensorDecommissioned;
import com.acme.iot.sensors.SensorId;
import com.acme.iot.sensors.SensorKind;
import com.acme.iot.sensors.SensorManagement;
import com.acme.iot.sensors.SensorUpdated;

/**
 * What ingestion needs to know about a sensor (kind, whether it still accepts readings), cached so that a
 * batch of thousands of readings does not cost thousands of lookups; the sensors module's events evict
 * changed entries.
 */
@Component
class KnownSensors {

	/** The facts about a sensor that validation needs. */
	record KnownSensor(SensorId id, SensorKind kind, boolean active) {
	}

	private final SensorManagement sensors;

	private record Entry(KnownSensor sensor, long loadedAt) {
	}

	private final ConcurrentHashMap<SensorId, Entry> cache = new ConcurrentHashMap<>();

	private final int maxSize;

	private final long ttlNanos;

	KnownSensors(SensorManagement sensors, ReadingSettings settings) {
		this.sensors = sensors;
		this.maxSize = settings.sensorCacheSize();
		this.ttlNanos = settings.sensorCacheTtl().toNanos();
	}

	Optional<KnownSensor> find(SensorId id) {
		long now = System.nanoTime();
		Entry known = this.cache.get(id);
		if (known != null && now - known.loadedAt() < this.ttlNanos) {
			return Optional.of(known.sensor());
		}
		Optional<KnownSensor> found = this.sensors.find(id)
			.map(sensor -> new KnownSensor(sensor.getId(), sensor.getKind(), sensor.isActive()));
		if (found.isEmpty()) {
			this.cache.remove(id);
		}
		found.ifPresent(sensor -> {
			if (this.cache.size() >= this.maxSize) {
				// Crude but bounded: a full cache starts over rather than growing with every sensor ever seen.
				this.cache.clear();
			}
			this.cache.put(id, new Entry(sensor, now));
		});
		return found;
	}

	@ApplicationModuleListener
	void on(SensorUpdated event) {
		this.cache.remove(event.sensorId());
	}

	@ApplicationModuleListener
	void on(SensorDecommissioned event) {
		this.cache.remove(event.sensorId());
	}

}
