package com.acme.iot.sensors;

/**
 * A sensor was taken out of service: it accepts no more readings, its history stays.
 */
public record SensorDecommissioned(SensorId sensorId) {
}
