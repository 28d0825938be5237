package com.acme.iot.sensors;

import java.time.Duration;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

/**
 * A sensor's description as clients write it, with its rules; a creation is validated against them, and so is
 * the result of a merge patch (whose kind is the stored one, not checked again).
 */
@Schema(description = "A sensor to register; offlineAfter defaults to PT10M")
record SensorRequest(
		@NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters")
		@Pattern(regexp = NO_CONTROL, message = "must not contain control characters") String name,
		@NotNull(groups = OnCreate.class, message = "is required; one of [TEMPERATURE, HUMIDITY, PRESSURE, CO2, PM2_5, PM10, VOC, NOISE, LIGHT]")
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable SensorKind kind,
		@NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters")
		@Pattern(regexp = NO_CONTROL, message = "must not contain control characters") String site,
		@Valid @Nullable LocationRequest location,
		@DurationMin(nanos = 1, message = "must be a positive ISO-8601 duration such as PT10M")
		@DurationMax(days = 30, message = "must be at most P30D")
		@Schema(example = "PT10M") @Nullable Duration offlineAfter,
		@Size(max = 50, message = "at most 50 labels") @Nullable Map<
				@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._/-]{0,63}", message = "keys are 1 to 64 letters, digits, '.', '_', '/' or '-'") String,
				@NotNull(message = "values are strings of at most 256 characters")
				@Size(max = 256, message = "values are strings of at most 256 characters") String> labels) {

	/** No control characters, line breaks included. */
	static final String NO_CONTROL = "^[^\\x00-\\x1F\\x7F]*$";

	/** The validation group of the rules that only a creation checks. */
	interface OnCreate {
	}

	/** The editable description of a stored sensor, in this form, for a merge patch to apply to. */
	static SensorRequest of(SensorDraft draft) {
		Location location = draft.location();
		return new SensorRequest(draft.name(), null, draft.site(),
				location == null ? null
						: new LocationRequest(location.latitude(), location.longitude(), location.description()),
				draft.offlineAfter(), draft.labels().values());
	}

	SensorDraft toDraft() {
		return new SensorDraft(this.name, this.site, this.location == null ? null : this.location.toLocation(),
				this.offlineAfter, this.labels == null ? Labels.NONE : new Labels(this.labels));
	}

	/** WGS 84 coordinates and a free description. */
	record LocationRequest(
			@NotNull(message = "is required when a location is given")
			@DecimalMin(value = "-90", message = "must be between -90 and 90")
			@DecimalMax(value = "90", message = "must be between -90 and 90")
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable Double latitude,
			@NotNull(message = "is required when a location is given")
			@DecimalMin(value = "-180", message = "must be between -180 and 180")
			@DecimalMax(value = "180", message = "must be between -180 and 180")
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable Double longitude,
			@Size(max = 200, message = "must be at most 200 characters") @Nullable String description) {

		Location toLocation() {
			return new Location(java.util.Objects.requireNonNull(this.latitude),
					java.util.Objects.requireNonNull(this.longitude), this.description);
		}

	}

}
