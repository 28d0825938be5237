package com.acme.iot.sensors;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.acme.iot.platform.security.SecretTokens;
import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.PageResponse;

/**
 * The sensors module's API: registers, finds, changes and decommissions sensors, and rotates their device
 * tokens. Every change is published as an event for the other modules.
 */
@Service
public class SensorManagement {

	private static final Logger log = LoggerFactory.getLogger(SensorManagement.class);

	private final SensorRepository sensors;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	SensorManagement(SensorRepository sensors, ApplicationEventPublisher events, Clock clock) {
		this.sensors = sensors;
		this.events = events;
		this.clock = clock;
	}

	/** A sensor just registered or re-keyed, with the device token that is shown only once. */
	public record SensorWithToken(Sensor sensor, String deviceToken) {
	}

	/** Filters of the sensor list; {@code null} means any. */
	public record SensorFilter(@Nullable String site, @Nullable SensorKind kind, @Nullable SensorStatus status) {
	}

	@Transactional(readOnly = true)
	public Optional<Sensor> find(SensorId id) {
		return this.sensors.findById(id.value());
	}

	@Transactional(readOnly = true)
	public Sensor get(SensorId id) {
		return find(id).orElseThrow(() -> ApiProblem.notFound("Sensor", id));
	}

	@Transactional(readOnly = true)
	public List<Sensor> findAll(SensorFilter filter) {
		return this.sensors.search(filter, 0, Integer.MAX_VALUE);
	}

	@Transactional(readOnly = true)
	public PageResponse<Sensor> search(SensorFilter filter, int page, int size) {
		long total = this.sensors.count(filter);
		List<Sensor> items = this.sensors.search(filter, (long) page * size, size);
		return new PageResponse<>(items, page, size, total);
	}

	@Transactional
	SensorWithToken register(SensorDraft draft, SensorKind kind) {
		SensorDraft valid = validate(draft.normalized(), null);
		String deviceToken = SecretTokens.generate(SecretTokens.DEVICE_PREFIX);
		Sensor sensor = save(Sensor.register(valid, kind, SecretTokens.hash(deviceToken), this.clock.instant()));
		this.events.publishEvent(new SensorRegistered(sensor.getId(), kind, sensor.getSite(), sensor.getOfflineAfter()));
		log.info("Registered sensor {} '{}' ({}) at site '{}'", sensor.getId(), sensor.getName(), kind,
				sensor.getSite());
		return new SensorWithToken(sensor, deviceToken);
	}

	@Transactional
	Sensor update(SensorId id, java.util.function.UnaryOperator<SensorDraft> change) {
		Sensor sensor = get(id);
		requireActive(sensor, "changed");
		SensorDraft valid = validate(change.apply(sensor.toDraft()), id.value());
		sensor.apply(valid, this.clock.instant());
		Sensor saved = save(sensor);
		this.events.publishEvent(
				new SensorUpdated(saved.getId(), saved.getKind(), saved.getSite(), saved.getOfflineAfter()));
		return saved;
	}

	@Transactional
	public void decommission(SensorId id) {
		Sensor sensor = get(id);
		if (sensor.decommission(this.clock.instant())) {
			save(sensor);
			this.events.publishEvent(new SensorDecommissioned(id));
			log.info("Decommissioned sensor {} '{}'", id, sensor.getName());
		}
	}

	@Transactional
	SensorWithToken rotateDeviceToken(SensorId id) {
		Sensor sensor = get(id);
		requireActive(sensor, "given a new device token");
		String deviceToken = SecretTokens.generate(SecretTokens.DEVICE_PREFIX);
		sensor.rotateDeviceToken(SecretTokens.hash(deviceToken), this.clock.instant());
		log.info("Rotated the device token of sensor {}", id);
		return new SensorWithToken(save(sensor), deviceToken);
	}

	private SensorDraft validate(SensorDraft draft, @Nullable UUID self) {
		if (this.sensors.nameTaken(draft.site(), draft.name(), self == null ? new UUID(0, 0) : self)) {
			throw nameClash(draft);
		}
		return draft;
	}

	private Sensor save(Sensor sensor) {
		try {
			return this.sensors.save(sensor);
		}
		catch (DuplicateKeyException ex) {
			throw nameClash(sensor.toDraft());
		}
		catch (DbActionExecutionException ex) {
			if (ex.getCause() instanceof DuplicateKeyException) {
				throw nameClash(sensor.toDraft());
			}
			throw ex;
		}
	}

	private static ApiProblem nameClash(SensorDraft draft) {
		return ApiProblem.conflict("A sensor named '" + draft.name() + "' already exists at site '" + draft.site() + "'.");
	}

	private static void requireActive(Sensor sensor, String what) {
		if (!sensor.isActive()) {
			throw ApiProblem.conflict("Sensor " + sensor.getId() + " is decommissioned and cannot be " + what + ".");
		}
	}


}
