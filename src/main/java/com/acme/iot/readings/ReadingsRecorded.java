package com.acme.iot.readings;

import java.util.List;

import com.acme.iot.sensors.SensorId;

/**
 * Readings of one sensor were committed: published once per sensor per accepted batch (never once per
 * reading), carrying only the newly stored readings, ordered by measurement time. Duplicates are not in it.
 */
public record ReadingsRecorded(SensorId sensorId, List<RecordedReading> readings) {

	public ReadingsRecorded {
		readings = List.copyOf(readings);
	}

}
