package com.acme.iot.alerts.lifecycle;

/**
 * What raised an alert: a threshold rule, or a sensor that stopped sending readings.
 */
public enum AlertType {

	THRESHOLD, SENSOR_OFFLINE

}
