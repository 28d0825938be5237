package com.acme.iot.sensors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.acme.iot.platform.web.FieldProblem;

/**
 * The editable description of a sensor, validated the same way whether it comes from a creation or from a
 * merge patch applied to the stored sensor.
 */
record SensorDraft(@Nullable String name, @Nullable String site, @Nullable Location location,
		@Nullable Duration offlineAfter, Labels labels) {

	static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofMinutes(10);

	static final Duration MAX_OFFLINE_AFTER = Duration.ofDays(30);

	static final int MAX_NAME = 100;

	static final int MAX_SITE = 100;

	static final int MAX_DESCRIPTION = 200;

	static final int MAX_LABELS = 50;

	private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");

	private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

	SensorDraft normalized() {
		return new SensorDraft(this.name == null ? null : this.name.strip(),
				this.site == null ? null : this.site.strip(), this.location,
				this.offlineAfter == null ? DEFAULT_OFFLINE_AFTER : this.offlineAfter, this.labels);
	}

	List<FieldProblem> problems() {
		List<FieldProblem> problems = new ArrayList<>();
		text("name", this.name, MAX_NAME, problems);
		text("site", this.site, MAX_SITE, problems);
		if (this.location != null) {
			if (!Double.isFinite(this.location.latitude()) || Math.abs(this.location.latitude()) > 90) {
				problems.add(FieldProblem.of("location.latitude", "must be between -90 and 90"));
			}
			if (!Double.isFinite(this.location.longitude()) || Math.abs(this.location.longitude()) > 180) {
				problems.add(FieldProblem.of("location.longitude", "must be between -180 and 180"));
			}
			String description = this.location.description();
			if (description != null && description.length() > MAX_DESCRIPTION) {
				problems.add(FieldProblem.of("location.description",
						"must be at most " + MAX_DESCRIPTION + " characters"));
			}
		}
		if (this.offlineAfter == null || this.offlineAfter.isNegative() || this.offlineAfter.isZero()) {
			problems.add(FieldProblem.of("offlineAfter", "must be a positive ISO-8601 duration such as PT10M"));
		}
		else if (this.offlineAfter.compareTo(MAX_OFFLINE_AFTER) > 0) {
			problems.add(FieldProblem.of("offlineAfter", "must be at most P30D"));
		}
		if (this.labels.values().size() > MAX_LABELS) {
			problems.add(FieldProblem.of("labels", "at most " + MAX_LABELS + " labels"));
		}
		for (Map.Entry<String, String> label : this.labels.values().entrySet()) {
			if (!LABEL_KEY.matcher(label.getKey()).matches()) {
				problems.add(FieldProblem.of("labels." + label.getKey(),
						"keys are 1 to 64 letters, digits, '.', '_', '/' or '-'"));
			}
			else if (label.getValue() == null || label.getValue().length() > 256) {
				problems.add(FieldProblem.of("labels." + label.getKey(), "values are strings of at most 256 characters"));
			}
		}
		return problems;
	}

	private static void text(String field, @Nullable String value, int max, List<FieldProblem> problems) {
		if (value == null || value.isBlank()) {
			problems.add(FieldProblem.of(field, "is required"));
		}
		else if (value.length() > max) {
			problems.add(FieldProblem.of(field, "must be at most " + max + " characters"));
		}
		else if (CONTROL.matcher(value).find()) {
			problems.add(FieldProblem.of(field, "must not contain control characters"));
		}
	}

}
