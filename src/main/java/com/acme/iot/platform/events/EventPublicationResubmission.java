package com.acme.iot.platform.scheduling;

import java.time.Duration;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries event listeners that failed, so an event between modules is delayed by a failure, never lost.
 */
@Component
@ConditionalOnProperty(name = "iot.scheduling.enabled", havingValue = "true", matchIfMissing = true)
class EventPublicationResubmission {

	private final FailedEventPublications failed;

	private final EventRetrySettings settings;

	EventPublicationResubmission(FailedEventPublications failed, EventRetrySettings settings) {
		this.failed = failed;
		this.settings = settings;
	}

	@Scheduled(fixedDelayString = "${iot.events.retry-interval:PT30S}", initialDelayString = "PT10S")
	@SchedulerLock(name = "event-publication-resubmission", lockAtMostFor = "PT5M")
	void resubmitFailedPublications() {
		this.failed.resubmit(ResubmissionOptions.defaults().withMinAge(this.settings.minAge()));
	}

	/**
	 * @param retryInterval how often failed listener invocations are retried
	 * @param minAge how old a failure must be before it is retried
	 */
	@ConfigurationProperties("iot.events")
	record EventRetrySettings(@DefaultValue("PT30S") Duration retryInterval, @DefaultValue("PT15S") Duration minAge) {
	}

}
