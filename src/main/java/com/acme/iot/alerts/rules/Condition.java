package com.acme.iot.alerts.rules;

/**
 * Which side of the threshold is the bad one.
 */
enum Condition {

	ABOVE, BELOW;

	boolean breaches(double value, double threshold) {
		return this == ABOVE ? value > threshold : value < threshold;
	}

	/** Whether the value has crossed back over the clear threshold, ending an alert. */
	boolean clears(double value, double clearThreshold) {
		return this == ABOVE ? value <= clearThreshold : value >= clearThreshold;
	}

	/** Whether the clear threshold lies on the good side of the threshold (or on it), as hysteresis needs. */
	boolean isValidClearThreshold(double threshold, double clearThreshold) {
		return this == ABOVE ? clearThreshold <= threshold : clearThreshold >= threshold;
	}

	double worse(double a, double b) {
		return this == ABOVE ? Math.max(a, b) : Math.min(a, b);
	}

}
