package com.acme.iot.readings;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.Timer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.iot.platform.events.ListenerBacklog;
import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.readings.KnownSensors.KnownSensor;
import com.acme.iot.sensors.SensorId;

/**
 * Validates a batch as a whole (any invalid item rejects all of it), stores what is new in one statement
 * and publishes one {@link ReadingsRecorded} per sensor in the same transaction, so the event publication
 * registry hands it to the alerts module only if the readings were committed.
 */
@Service
class ReadingIngestion {

	/** Outcome of an accepted batch. */
	record Outcome(int accepted, int duplicates) {
	}

	private static final Comparator<StoredReading> STORAGE_ORDER = Comparator.comparing(StoredReading::sensorId)
		.thenComparingLong(StoredReading::micros);

	private final KnownSensors sensors;

	private final ReadingRepository readings;

	private final ReadingPartitions partitions;

	private final ApplicationEventPublisher events;

	private final ReadingMetrics metrics;

	private final ReadingSettings settings;

	private final Clock clock;

	private final TransactionTemplate transaction;

	private final ListenerBacklog listeners;

	ReadingIngestion(KnownSensors sensors, ReadingRepository readings, ReadingPartitions partitions,
			ApplicationEventPublisher events, ReadingMetrics metrics, ReadingSettings settings, Clock clock,
			PlatformTransactionManager transactions, ListenerBacklog listeners) {
		this.sensors = sensors;
		this.readings = readings;
		this.partitions = partitions;
		this.events = events;
		this.metrics = metrics;
		this.settings = settings;
		this.clock = clock;
		this.transaction = new TransactionTemplate(transactions);
		this.listeners = listeners;
	}

	Outcome ingest(ReadingPayloads.Parsed batch) {
		Timer.Sample sample = Timer.start();
		try {
			List<StoredReading> valid = validate(batch);
			Set<YearMonth> months = new HashSet<>();
			valid.forEach(reading -> months.add(ReadingPartitions.monthOf(reading.micros())));
			this.partitions.ensure(months);
			valid.sort(STORAGE_ORDER);
			// one ReadingsRecorded per sensor: while the alerts module is far behind, wait (holding no connection)
			this.listeners.awaitRoom();
			List<StoredReading> stored = this.transaction.execute(status -> store(valid));
			int duplicates = valid.size() - stored.size();
			this.metrics.committed(stored.size(), duplicates, this.clock.instant().getEpochSecond());
			return new Outcome(stored.size(), duplicates);
		}
		finally {
			sample.stop(this.metrics.batch());
		}
	}

	private List<StoredReading> store(List<StoredReading> valid) {
		List<StoredReading> stored = this.readings.insertNew(valid);
		Map<UUID, List<RecordedReading>> bySensor = new LinkedHashMap<>();
		for (StoredReading reading : stored) {
			bySensor.computeIfAbsent(reading.sensorId(), id -> new ArrayList<>())
				.add(new RecordedReading(reading.time(), reading.value()));
		}
		bySensor.forEach((sensor, recorded) -> {
			recorded.sort(Comparator.comparing(RecordedReading::time));
			this.events.publishEvent(new ReadingsRecorded(new SensorId(sensor), recorded));
		});
		return stored;
	}

	private List<StoredReading> validate(ReadingPayloads.Parsed batch) {
		List<FieldProblem> problems = new ArrayList<>(batch.problems());
		Instant now = this.clock.instant();
		Instant latestAllowed = now.plus(this.settings.futureTolerance());
		Map<SensorId, Optional<KnownSensor>> known = new HashMap<>();
		List<StoredReading> valid = new ArrayList<>(batch.items().size());
		for (IncomingReading item : batch.items()) {
			int index = item.index();
			Instant time = item.time() == null ? now : item.time();
			KnownSensor sensor = null;
			if (item.sensorId() != null) {
				sensor = known.computeIfAbsent(item.sensorId(), this.sensors::find).orElse(null);
				if (sensor == null) {
					problems.add(FieldProblem.at(index, "sensorId", "sensor " + item.sensorId() + " does not exist"));
				}
				else if (!sensor.active()) {
					problems.add(FieldProblem.at(index, "sensorId",
							"sensor " + item.sensorId() + " is decommissioned and accepts no readings"));
				}
			}
			if (time.isAfter(latestAllowed)) {
				problems.add(FieldProblem.at(index, "time", "lies more than " + this.settings.futureTolerance()
						+ " in the future (server time " + now + ")"));
			}
			if (sensor != null && time.isBefore(now.minus(this.settings.retentionOf(sensor.kind())))) {
				problems.add(FieldProblem.at(index, "time", "is older than the retention of "
						+ this.settings.retentionOf(sensor.kind()) + " for " + sensor.kind() + " readings"));
			}
			if (sensor != null && item.value() != null && !sensor.kind().isPlausible(item.value())) {
				problems.add(FieldProblem.at(index, "value", item.value() + " is outside the plausible range "
						+ sensor.kind().min() + "…" + sensor.kind().max() + " " + sensor.kind().unit() + " of "
						+ sensor.kind()));
			}
			if (problems.isEmpty() && item.sensorId() != null && item.value() != null) {
				valid.add(new StoredReading(item.sensorId().value(), StoredReading.micros(time), item.value()));
			}
		}
		if (!problems.isEmpty()) {
			this.metrics.rejected(batch.items().size());
			problems.sort(Comparator.comparing((FieldProblem p) -> p.index() == null ? -1 : p.index()));
			FieldProblem first = problems.get(0);
			throw ApiProblem.invalid("Nothing was stored: item " + first.index() + " " + first.field() + " "
					+ first.message() + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""),
					problems);
		}
		return valid;
	}

}
