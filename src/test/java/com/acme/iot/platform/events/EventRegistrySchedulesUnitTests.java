package com.acme.iot.platform.events;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import com.acme.iot.platform.events.EventPublicationSettings.Resubmission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * The registry's background jobs run at the intervals of their settings, the retry job first one interval after
 * the start (the integration tests run them by hand).
 * The jobs are mocks: only their scheduling is under test here.
 */
class EventRegistrySchedulesUnitTests {

	@Test
	void schedulesTheRetryJobAndTheGaugeRefreshAtTheirIntervals() {
		EventPublicationResubmission resubmission = mock(EventPublicationResubmission.class);
		EventPublicationMetrics metrics = mock(EventPublicationMetrics.class);
		EventPublicationSettings settings = new EventPublicationSettings(Duration.ofSeconds(7),
				new Resubmission(Duration.ofSeconds(11), 100, 500, Duration.ofSeconds(30), Duration.ofMinutes(10),
						Duration.ofMinutes(5)));
		ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

		new EventRegistrySchedules(resubmission, metrics, settings).configureTasks(registrar);

		assertThat(registrar.getFixedDelayTaskList()).extracting(IntervalTask::getIntervalDuration)
			.containsExactly(Duration.ofSeconds(11), Duration.ofSeconds(7));
		assertThat(registrar.getFixedDelayTaskList()).extracting(IntervalTask::getInitialDelayDuration)
			.containsExactly(Duration.ofSeconds(11), Duration.ZERO);
		registrar.getFixedDelayTaskList().forEach(task -> task.getRunnable().run());
		verify(resubmission).resubmitFailedPublications();
		verify(metrics).refresh();
	}

}
