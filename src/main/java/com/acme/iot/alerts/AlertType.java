package com.acme.iot.alerts;

/**
 * What raised an alert: a threshold rule, or a sensor that stopped sending readings.
 */
enum AlertType {

	THRESHOLD, SENSOR_OFFLINE

}
