package com.acme.iot.readings;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.maintenance.MaintenanceMode;
import com.acme.iot.sensors.SensorKind;
import com.acme.iot.sensors.SensorManagement;
import com.acme.iot.sensors.SensorManagement.SensorFilter;

/**
 * The scheduled upkeep of the reading table: monthly partitions ready ahead of time, and expired readings
 * removed — whole partitions dropped (cheap, no dead rows), the expired edge of the oldest remaining one
 * deleted. ShedLock lets one replica run each job; both pause while the service is in maintenance.
 */
@Component
class ReadingRetention {

	private static final Logger log = LoggerFactory.getLogger(ReadingRetention.class);

	/** What one retention run removed. */
	record Purged(List<String> droppedPartitions, int deletedReadings) {
	}

	private final ReadingPartitions partitions;

	private final ReadingRepository readings;

	private final SensorManagement sensors;

	private final ReadingSettings settings;

	private final MaintenanceMode maintenance;

	private final Clock clock;

	ReadingRetention(ReadingPartitions partitions, ReadingRepository readings, SensorManagement sensors,
			ReadingSettings settings, MaintenanceMode maintenance, Clock clock) {
		this.partitions = partitions;
		this.readings = readings;
		this.sensors = sensors;
		this.settings = settings;
		this.maintenance = maintenance;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void prepareOnStart() {
		if (!this.maintenance.isActive()) {
			createPartitionsAhead(this.clock.instant());
		}
	}

	@Scheduled(cron = "${iot.readings.partition-cron:0 7 * * * *}")
	@SchedulerLock(name = "readings-partitions", lockAtMostFor = "PT10M")
	void createPartitionsAhead() {
		if (this.maintenance.isActive()) {
			log.info("Skipping the creation of reading partitions: the service is in maintenance");
			return;
		}
		this.partitions.refresh();
		createPartitionsAhead(this.clock.instant());
	}

	void createPartitionsAhead(Instant now) {
		YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
		this.partitions
			.ensure(IntStream.rangeClosed(0, this.settings.partitionsAhead()).mapToObj(current::plusMonths).toList());
	}

	@Scheduled(cron = "${iot.readings.retention-cron:0 23 3 * * *}")
	// lockAtLeastFor: a replica whose clock fires a little late must not find the lock free and run the slot again
	@SchedulerLock(name = "readings-retention", lockAtMostFor = "PT1H", lockAtLeastFor = "PT10S")
	void purgeExpired() {
		if (this.maintenance.isActive()) {
			log.info("Skipping reading retention: the service is in maintenance");
			return;
		}
		purge(this.clock.instant());
	}

	/** Removes every reading older than its kind's retention as of {@code now}. */
	Purged purge(Instant now) {
		List<String> dropped = this.partitions.dropEndingBefore(now.minus(this.settings.longestRetention()));
		int deleted = 0;
		List<UUID> withOwnRetention = new ArrayList<>();
		for (Map.Entry<SensorKind, java.time.Duration> kind : this.settings.retentionByKind().entrySet()) {
			List<UUID> ids = this.sensors.findAll(new SensorFilter(null, kind.getKey(), null))
				.stream()
				.map(sensor -> sensor.getId().value())
				.toList();
			withOwnRetention.addAll(ids);
			deleted += this.readings.deleteExpired(now.minus(kind.getValue()), ids, true);
		}
		deleted += this.readings.deleteExpired(now.minus(this.settings.retention()), withOwnRetention, false);
		log.info("Reading retention: dropped partitions {} and deleted {} expired readings", dropped, deleted);
		return new Purged(dropped, deleted);
	}

}
