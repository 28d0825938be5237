package com.acme.iot.sensors;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A physical sensor: what it measures, where it stands, when it counts as offline, and the hash of the
 * device token it posts readings with.
 */
@Table("sensor")
public class Sensor {

	@Id
	private final UUID id;

	private String name;

	private final SensorKind kind;

	private String site;

	@Embedded.Nullable(prefix = "location_")
	private @Nullable Location location;

	private Duration offlineAfter;

	private Labels labels;

	private SensorStatus status;

	private String deviceTokenHash;

	private final Instant createdAt;

	private Instant updatedAt;

	@Version
	private @Nullable Long version;

	@PersistenceCreator
	Sensor(UUID id, String name, SensorKind kind, String site, @Nullable Location location, Duration offlineAfter,
			Labels labels, SensorStatus status, String deviceTokenHash, Instant createdAt, Instant updatedAt,
			@Nullable Long version) {
		this.id = id;
		this.name = name;
		this.kind = kind;
		this.site = site;
		this.location = location;
		this.offlineAfter = offlineAfter;
		this.labels = labels;
		this.status = status;
		this.deviceTokenHash = deviceTokenHash;
		this.createdAt = createdAt;
		this.updatedAt = updatedAt;
		this.version = version;
	}

	static Sensor register(SensorDraft draft, SensorKind kind, String deviceTokenHash, Instant now) {
		return new Sensor(UUID.randomUUID(), draft.name(), kind, draft.site(), draft.location(), draft.offlineAfter(),
				draft.labels(), SensorStatus.ACTIVE, deviceTokenHash, now, now, null);
	}

	public SensorId getId() {
		return new SensorId(this.id);
	}

	public String getName() {
		return this.name;
	}

	public SensorKind getKind() {
		return this.kind;
	}

	public String getSite() {
		return this.site;
	}

	public @Nullable Location getLocation() {
		return this.location;
	}

	public Duration getOfflineAfter() {
		return this.offlineAfter;
	}

	public Labels getLabels() {
		return this.labels;
	}

	public SensorStatus getStatus() {
		return this.status;
	}

	public boolean isActive() {
		return this.status == SensorStatus.ACTIVE;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getUpdatedAt() {
		return this.updatedAt;
	}

	SensorDraft toDraft() {
		return new SensorDraft(this.name, this.site, this.location, this.offlineAfter, this.labels);
	}

	void apply(SensorDraft draft, Instant now) {
		this.name = draft.name();
		this.site = draft.site();
		this.location = draft.location();
		this.offlineAfter = draft.offlineAfter();
		this.labels = draft.labels();
		this.updatedAt = now;
	}

	void rotateDeviceToken(String deviceTokenHash, Instant now) {
		this.deviceTokenHash = deviceTokenHash;
		this.updatedAt = now;
	}

	boolean decommission(Instant now) {
		if (this.status == SensorStatus.DECOMMISSIONED) {
			return false;
		}
		this.status = SensorStatus.DECOMMISSIONED;
		this.updatedAt = now;
		return true;
	}

}
