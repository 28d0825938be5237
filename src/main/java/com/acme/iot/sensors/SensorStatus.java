package com.acme.iot.sensors;

/**
 * Lifecycle of a sensor: an active sensor accepts readings; a decommissioned one keeps its history only.
 */
public enum SensorStatus {

	ACTIVE, DECOMMISSIONED

}
