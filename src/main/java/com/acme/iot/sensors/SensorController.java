package com.acme.iot.sensors;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.PageResponse;

@RestController
@PreAuthorize("hasRole('READER')")
@Tag(name = "Sensors", description = "The sensors the mobile app supervises")
class SensorController {

	static final String MERGE_PATCH = "application/merge-patch+json";

	private final SensorManagement sensors;

	SensorController(SensorManagement sensors) {
		this.sensors = sensors;
	}

	@GetMapping("/api/sensor-kinds")
	@Operation(summary = "Sensor kinds with their canonical unit and plausible range")
	List<KindView> kinds() {
		return Arrays.stream(SensorKind.values()).map(KindView::of).toList();
	}

	@PostMapping("/api/sensors")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Register a sensor; the response carries its device token, shown only once")
	ResponseEntity<SensorView> register(@RequestBody SensorRequest request) {
		if (request.kind() == null) {
			throw ApiProblem.invalid(com.acme.iot.platform.web.FieldProblem.of("kind",
					"is required; one of " + Arrays.toString(SensorKind.values())));
		}
		SensorManagement.SensorWithToken registered = this.sensors.register(request.toDraft(), request.kind());
		SensorView body = SensorView.of(registered.sensor(), registered.deviceToken());
		return ResponseEntity.created(URI.create("/api/sensors/" + body.id())).body(body);
	}

	@GetMapping("/api/sensors")
	@Operation(summary = "Sensors sorted by name, filtered by site, kind and status")
	PageResponse<SensorView> list(@RequestParam(required = false) @Nullable String site,
			@RequestParam(required = false) @Nullable SensorKind kind,
			@RequestParam(required = false) @Nullable SensorStatus status,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.sensors.search(new SensorManagement.SensorFilter(site, kind, status), page, size)
			.map(sensor -> SensorView.of(sensor, null));
	}

	@GetMapping("/api/sensors/{id}")
	@Operation(summary = "One sensor")
	SensorView get(@PathVariable UUID id) {
		return SensorView.of(this.sensors.get(new SensorId(id)), null);
	}

	@PatchMapping(path = "/api/sensors/{id}", consumes = { MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE })
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Change name, site, location, offlineAfter or labels (JSON merge patch)")
	SensorView patch(@PathVariable UUID id, @RequestBody JsonNode patch) {
		return SensorView.of(this.sensors.update(new SensorId(id), current -> SensorMergePatch.apply(current, patch)),
				null);
	}

	@DeleteMapping("/api/sensors/{id}")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Decommission a sensor: it stops accepting readings, its history stays")
	ResponseEntity<Void> decommission(@PathVariable UUID id) {
		this.sensors.decommission(new SensorId(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/api/sensors/{id}/device-token")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Issue a new device token; the previous one stops working at once")
	DeviceTokenView rotateDeviceToken(@PathVariable UUID id) {
		SensorManagement.SensorWithToken rotated = this.sensors.rotateDeviceToken(new SensorId(id));
		return new DeviceTokenView(rotated.sensor().getId().toString(), rotated.deviceToken());
	}

	record SensorRequest(@Nullable String name, @Nullable SensorKind kind, @Nullable String site,
			@Nullable LocationRequest location, @Nullable Duration offlineAfter,
			@Nullable Map<String, String> labels) {

		SensorDraft toDraft() {
			return new SensorDraft(this.name, this.site, this.location == null ? null : this.location.toLocation(),
					this.offlineAfter, this.labels == null ? Labels.NONE : new Labels(this.labels));
		}

	}

	record LocationRequest(@Nullable Double latitude, @Nullable Double longitude, @Nullable String description) {

		Location toLocation() {
			if (this.latitude == null || this.longitude == null) {
				throw ApiProblem.invalid(com.acme.iot.platform.web.FieldProblem.of(
						this.latitude == null ? "location.latitude" : "location.longitude",
						"is required when a location is given"));
			}
			return new Location(this.latitude, this.longitude, this.description);
		}

	}

	record SensorView(String id, String name, SensorKind kind, String unit, String site, @Nullable Location location,
			Duration offlineAfter, Map<String, String> labels, SensorStatus status, Instant createdAt,
			Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String deviceToken) {

		static SensorView of(Sensor sensor, @Nullable String deviceToken) {
			return new SensorView(sensor.getId().toString(), sensor.getName(), sensor.getKind(),
					sensor.getKind().unit(), sensor.getSite(), sensor.getLocation(), sensor.getOfflineAfter(),
					sensor.getLabels().values(), sensor.getStatus(), sensor.getCreatedAt(), sensor.getUpdatedAt(),
					deviceToken);
		}

	}

	record DeviceTokenView(String sensorId, String deviceToken) {
	}

	record KindView(SensorKind kind, String unit, double min, double max) {

		static KindView of(SensorKind kind) {
			return new KindView(kind, kind.unit(), kind.min(), kind.max());
		}

	}

}
