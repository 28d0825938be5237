package com.acme.iot.platform.events;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Schedules the registry's background work from {@link EventPublicationSettings}: the retry job (ShedLock'd: one
 * replica per run) and, on every replica, the refresh of the registry's gauges.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "iot.scheduling.enabled", havingValue = "true", matchIfMissing = true)
class EventRegistrySchedules implements SchedulingConfigurer {

	private final EventPublicationResubmission resubmission;

	private final EventPublicationMetrics metrics;

	private final EventPublicationSettings settings;

	EventRegistrySchedules(EventPublicationResubmission resubmission, EventPublicationMetrics metrics,
			EventPublicationSettings settings) {
		this.resubmission = resubmission;
		this.metrics = metrics;
		this.settings = settings;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		Duration interval = this.settings.resubmission().interval();
		registrar.addFixedDelayTask(new FixedDelayTask(this.resubmission::resubmitFailedPublications, interval,
				interval));
		registrar.addFixedDelayTask(new FixedDelayTask(this.metrics::refresh, this.settings.metricsRefreshInterval(),
				Duration.ZERO));
	}

}
