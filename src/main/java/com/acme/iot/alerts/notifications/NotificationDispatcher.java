package com.acme.iot.alerts.notifications;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.acme.iot.alerts.support.AlertMetrics;
import com.acme.iot.alerts.support.AlertSettings;
import com.acme.iot.platform.maintenance.MaintenanceMode;
import com.acme.iot.platform.outbound.OutboundRefusedException;

/**
 * Delivers due notifications from the outbox, retrying failures with exponential backoff. Its state lives
 * in the outbox table, so retries go on after a restart and on whichever replica holds the lock.
 */
@Component
class NotificationDispatcher {

	private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);

	private final NotificationOutbox outbox;

	private final NotificationChannels channels;

	private final NotificationSenders senders;

	private final AlertMetrics metrics;

	private final MaintenanceMode maintenance;

	private final AlertSettings settings;

	private final Clock clock;

	NotificationDispatcher(NotificationOutbox outbox, NotificationChannels channels, NotificationSenders senders,
			AlertMetrics metrics, MaintenanceMode maintenance, AlertSettings settings, Clock clock) {
		this.outbox = outbox;
		this.channels = channels;
		this.senders = senders;
		this.metrics = metrics;
		this.maintenance = maintenance;
		this.settings = settings;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${iot.alerts.notifications.dispatch-interval:PT2S}", initialDelayString = "PT2S")
	@SchedulerLock(name = "alerts-notification-dispatch", lockAtMostFor = "PT5M")
	void scheduledDispatch() {
		if (!this.maintenance.isActive()) {
			dispatchDue();
		}
	}

	/** Attempts every delivery due now (up to the batch size); how many were delivered. */
	int dispatchDue() {
		List<NotificationDelivery> due = this.outbox.due(this.clock.instant(), this.settings.notifications().batchSize());
		int delivered = 0;
		for (NotificationDelivery delivery : due) {
			NotificationChannel channel = this.channels.find(delivery.channelId()).orElse(null);
			if (channel == null) {
				continue;
			}
			int attempts = delivery.attempts() + 1;
			try {
				this.senders.send(channel, delivery);
				this.outbox.delivered(delivery.id(), attempts, this.clock.instant());
				this.metrics.delivery("delivered", channel.type());
				delivered++;
			}
			catch (Exception ex) {
				// Outbound failures carry fixed reasons (never what the receiver answered); others keep their type.
				String error = ex instanceof IOException ? String.valueOf(ex.getMessage())
						: ex.getClass().getSimpleName() + ": " + ex.getMessage();
				boolean giveUp = ex instanceof OutboundRefusedException
						|| attempts >= this.settings.notifications().maxAttempts();
				Instant next = this.clock.instant().plus(this.settings.notifications().backoff(attempts));
				this.outbox.failed(delivery.id(), attempts, error, giveUp, next);
				this.metrics.delivery(giveUp ? "failed" : "retrying", channel.type());
				log.warn("Delivery {} of {} to channel '{}' failed (attempt {}{}): {}", delivery.id(), delivery.event(),
						channel.name(), attempts, giveUp ? ", giving up" : ", retrying at " + next, error);
			}
		}
		return delivered;
	}

}
