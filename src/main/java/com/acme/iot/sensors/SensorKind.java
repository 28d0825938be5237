package com.acme.iot.sensors;

/**
 * What a sensor measures, in which canonical unit, and the physically plausible range a reading must fall
 * in to be believed.
 */
public enum SensorKind {

	TEMPERATURE("°C", -100, 150),
	HUMIDITY("%RH", 0, 100),
	PRESSURE("hPa", 300, 1100),
	CO2("ppm", 0, 50_000),
	PM2_5("µg/m³", 0, 1_000),
	PM10("µg/m³", 0, 2_000),
	VOC("ppb", 0, 60_000),
	NOISE("dB", 0, 150),
	LIGHT("lux", 0, 200_000);

	private final String unit;

	private final double min;

	private final double max;

	SensorKind(String unit, double min, double max) {
		this.unit = unit;
		this.min = min;
		this.max = max;
	}

	public String unit() {
		return this.unit;
	}

	public double min() {
		return this.min;
	}

	public double max() {
		return this.max;
	}

	/** Whether a value is finite and within this kind's plausible range, bounds included. */
	public boolean isPlausible(double value) {
		return Double.isFinite(value) && value >= this.min && value <= this.max;
	}

}
