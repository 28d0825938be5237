package com.acme.iot.sensors;

import java.util.List;

/**
 * Filtered, case-insensitively name-sorted pages of sensors, which derived queries cannot express.
 */
interface SensorSearch {

	long count(SensorManagement.SensorFilter filter);

	List<Sensor> search(SensorManagement.SensorFilter filter, long offset, int limit);

}
