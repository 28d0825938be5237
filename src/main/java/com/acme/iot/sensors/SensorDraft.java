package com.acme.iot.sensors;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The editable description of a sensor; the API validates it ({@link SensorRequest}) whether it comes from a
 * creation or from a merge patch applied to the stored sensor.
 */
record SensorDraft(@Nullable String name, @Nullable String site, @Nullable Location location,
		@Nullable Duration offlineAfter, Labels labels) {

	static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofMinutes(10);

	SensorDraft normalized() {
		return new SensorDraft(this.name == null ? null : this.name.strip(),
				this.site == null ? null : this.site.strip(), this.location,
				this.offlineAfter == null ? DEFAULT_OFFLINE_AFTER : this.offlineAfter, this.labels);
	}

}
