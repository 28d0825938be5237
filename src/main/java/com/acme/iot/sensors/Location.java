package com.acme.iot.sensors;

import org.jspecify.annotations.Nullable;

/**
 * Where a sensor stands: WGS 84 coordinates and a free description ("row 3").
 */
public record Location(double latitude, double longitude, @Nullable String description) {
}
