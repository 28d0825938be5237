package com.acme.iot.platform.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param threads how many module-listener calls run at once (each holds a database connection while it runs)
 * @param maxPending how many listener calls may wait before publishers of many events are held back
 * @param maxWait how long a held-back publisher waits for room before it answers 503
 */
@ConfigurationProperties("iot.events.listeners")
record ListenerSettings(@DefaultValue("8") int threads, @DefaultValue("2000") int maxPending,
		@DefaultValue("PT10S") Duration maxWait) {

	ListenerSettings {
		if (threads < 1 || maxPending < 1) {
			throw new IllegalArgumentException("iot.events.listeners.threads and max-pending must be at least 1");
		}
	}

}
