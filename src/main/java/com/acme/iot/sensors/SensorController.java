package com.acme.iot.sensors;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.groups.Default;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.platform.web.JsonMergePatch;
import com.acme.iot.platform.web.PageResponse;

@RestController
@PreAuthorize("hasRole('READER')")
@Tag(name = "Sensors", description = "The sensors the mobile app supervises")
class SensorController {

	private static final Set<String> READ_ONLY = Set.of("id", "kind", "unit", "status", "createdAt", "updatedAt",
			"deviceToken");

	private final SensorManagement sensors;

	private final JsonMergePatch mergePatch;

	SensorController(SensorManagement sensors, JsonMergePatch mergePatch) {
		this.sensors = sensors;
		this.mergePatch = mergePatch;
	}

	@GetMapping("/api/sensor-kinds")
	@Operation(operationId = "listSensorKinds", summary = "Sensor kinds with their canonical unit and plausible range")
	List<KindView> kinds() {
		return Arrays.stream(SensorKind.values()).map(KindView::of).toList();
	}

	@PostMapping(path = "/api/sensors", consumes = MediaType.APPLICATION_JSON_VALUE)
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "registerSensor",
			summary = "Register a sensor; the response carries its device token, shown only once")
	@ApiResponse(responseCode = "201", description = "Registered; Location is the sensor's address",
			headers = @Header(name = "Location", description = "The new sensor's address", required = true,
					schema = @Schema(type = "string", format = "uri-reference")))
	@ApiResponse(responseCode = "409", description = "A sensor with this name exists at this site")
	ResponseEntity<SensorView> register(
			@RequestBody @Validated({ Default.class, SensorRequest.OnCreate.class }) SensorRequest request) {
		SensorManagement.SensorWithToken registered = this.sensors.register(request.toDraft(),
				java.util.Objects.requireNonNull(request.kind()));
		SensorView body = SensorView.of(registered.sensor(), registered.deviceToken());
		return ResponseEntity.created(URI.create("/api/sensors/" + body.id())).body(body);
	}

	@GetMapping("/api/sensors")
	@Operation(operationId = "listSensors", summary = "Sensors sorted by name, filtered by site, kind and status")
	PageResponse<SensorView> list(@RequestParam(required = false) @Nullable String site,
			@RequestParam(required = false) @Nullable SensorKind kind,
			@RequestParam(required = false) @Nullable SensorStatus status,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		return this.sensors.search(new SensorManagement.SensorFilter(site, kind, status), page, size)
			.map(sensor -> SensorView.of(sensor, null));
	}

	@GetMapping("/api/sensors/{id}")
	@Operation(operationId = "getSensor", summary = "One sensor")
	@ApiResponse(responseCode = "200", description = "The sensor")
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
	SensorView get(@PathVariable UUID id) {
		return SensorView.of(this.sensors.get(new SensorId(id)), null);
	}

	@PatchMapping(path = "/api/sensors/{id}", consumes = { JsonMergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE })
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "updateSensor",
			summary = "Change name, site, location, offlineAfter or labels (JSON merge patch, RFC 7396)",
			description = "A member set to null is removed: offlineAfter goes back to PT10M, location is cleared, "
					+ "a label is deleted. The result is validated like a registration.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
					@Content(mediaType = JsonMergePatch.MEDIA_TYPE, schema = @Schema(implementation = SensorPatch.class)),
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = SensorPatch.class)) }))
	@ApiResponse(responseCode = "200", description = "The changed sensor")
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
	@ApiResponse(responseCode = "409",
			description = "The sensor is decommissioned, another sensor has this name at this site, or it changed meanwhile")
	SensorView patch(@PathVariable UUID id, @RequestBody JsonNode patch) {
		List<FieldProblem> readOnly = patch.propertyStream()
			.map(Map.Entry::getKey)
			.filter(READ_ONLY::contains)
			.map(field -> FieldProblem.of(field, "cannot be changed"))
			.toList();
		if (!readOnly.isEmpty()) {
			throw ApiProblem.invalid(readOnly);
		}
		return SensorView.of(this.sensors.update(new SensorId(id),
				current -> this.mergePatch.apply(SensorRequest.of(current), patch, SensorRequest.class).toDraft()
					.normalized()),
				null);
	}

	@DeleteMapping("/api/sensors/{id}")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "decommissionSensor",
			summary = "Decommission a sensor: it stops accepting readings, its history stays")
	@ApiResponse(responseCode = "204", description = "Decommissioned (again: decommissioning is idempotent)")
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
	ResponseEntity<Void> decommission(@PathVariable UUID id) {
		this.sensors.decommission(new SensorId(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/api/sensors/{id}/device-token")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(operationId = "rotateDeviceToken",
			summary = "Issue a new device token; the previous one stops working at once")
	@ApiResponse(responseCode = "200", description = "The new device token, shown only once")
	@ApiResponse(responseCode = "404", description = "No sensor has this id")
	@ApiResponse(responseCode = "409", description = "The sensor is decommissioned")
	DeviceTokenView rotateDeviceToken(@PathVariable UUID id) {
		SensorManagement.SensorWithToken rotated = this.sensors.rotateDeviceToken(new SensorId(id));
		return new DeviceTokenView(rotated.sensor().getId().value(), rotated.deviceToken());
	}

	@Schema(description = "JSON merge patch of a sensor: only the members to change; null removes a member")
	record SensorPatch(@Nullable String name, @Nullable String site, SensorRequest.@Nullable LocationRequest location,
			@Schema(example = "PT1H") @Nullable Duration offlineAfter,
			@Schema(description = "Labels to add or change; a label set to null is deleted") @Nullable Map<String, @Nullable String> labels) {
	}

	record SensorView(UUID id, String name, SensorKind kind, String unit, String site, @Nullable Location location,
			Duration offlineAfter, Map<String, String> labels, SensorStatus status, Instant createdAt,
			Instant updatedAt,
			@Schema(description = "The device token, only in the registration response")
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String deviceToken) {

		static SensorView of(Sensor sensor, @Nullable String deviceToken) {
			return new SensorView(sensor.getId().value(), sensor.getName(), sensor.getKind(),
					sensor.getKind().unit(), sensor.getSite(), sensor.getLocation(), sensor.getOfflineAfter(),
					sensor.getLabels().values(), sensor.getStatus(), sensor.getCreatedAt(), sensor.getUpdatedAt(),
					deviceToken);
		}

	}

	record DeviceTokenView(UUID sensorId, String deviceToken) {
	}

	record KindView(SensorKind kind, String unit, double min, double max) {

		static KindView of(SensorKind kind) {
			return new KindView(kind, kind.unit(), kind.min(), kind.max());
		}

	}

}
