package com.acme.iot.alerts.support;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import com.acme.iot.alerts.lifecycle.Severity;

/**
 * Tunables of the alerts module.
 *
 * @param offlineCheckInterval how often the offline-sensor job looks for silent sensors
 * @param offlineSeverity severity of {@code SENSOR_OFFLINE} alerts
 * @param streamTimeout how long one {@code /api/alerts/stream} connection stays open before the client
 * reconnects
 * @param streamHeartbeat how often a comment line keeps idle stream connections alive through proxies
 * @param metricsRefreshInterval how often the alert and notification gauges are recomputed from the database
 * @param notifications delivery of alert changes to notification channels
 */
@ConfigurationProperties("iot.alerts")
public record AlertSettings(@DefaultValue("PT30S") Duration offlineCheckInterval,
		@DefaultValue("MAJOR") Severity offlineSeverity, @DefaultValue("PT30M") Duration streamTimeout,
		@DefaultValue("PT20S") Duration streamHeartbeat, @DefaultValue("PT10S") Duration metricsRefreshInterval,
		@DefaultValue Notifications notifications) {

	/**
	 * @param dispatchInterval how often the dispatcher delivers due notifications
	 * @param batchSize most deliveries attempted per dispatcher run
	 * @param initialBackoff wait before the first retry; doubles with every failed attempt
	 * @param maxBackoff longest wait between two attempts
	 * @param maxAttempts attempts before a delivery is given up as {@code FAILED}
	 * @param connectTimeout connect timeout of webhook and Slack calls
	 * @param requestTimeout whole-request timeout of webhook and Slack calls
	 * @param mailFrom sender address of alert e-mails
	 */
	public record Notifications(@DefaultValue("PT2S") Duration dispatchInterval, @DefaultValue("50") int batchSize,
			@DefaultValue("PT5S") Duration initialBackoff, @DefaultValue("PT15M") Duration maxBackoff,
			@DefaultValue("12") int maxAttempts, @DefaultValue("PT5S") Duration connectTimeout,
			@DefaultValue("PT10S") Duration requestTimeout, @DefaultValue("iot-alerts@localhost") String mailFrom) {

		public Duration backoff(int attempts) {
			long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
			Duration wait = this.initialBackoff.multipliedBy(factor);
			return wait.compareTo(this.maxBackoff) > 0 ? this.maxBackoff : wait;
		}

	}

}
