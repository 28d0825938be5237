package com.acme.iot.alerts.support;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.acme.iot.alerts.lifecycle.AlertType;
import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.alerts.notifications.ChannelType;

/**
 * The alerts module's meters. Gauges are refreshed from the database on a timer rather than on every scrape,
 * so a scrape never waits for the database.
 */
@Component
public class AlertMetrics {

	private final MeterRegistry registry;

	private final JdbcClient jdbc;

	private final Map<Severity, AtomicLong> open = new EnumMap<>(Severity.class);

	private final AtomicLong offline = new AtomicLong();

	private final AtomicLong pending = new AtomicLong();

	private final Counter resolved;

	private final Timer evaluationLag;

	AlertMetrics(MeterRegistry registry, JdbcClient jdbc) {
		this.registry = registry;
		this.jdbc = jdbc;
		for (Severity severity : Severity.values()) {
			AtomicLong value = new AtomicLong();
			this.open.put(severity, value);
			Gauge.builder("iot.alerts.open", value, AtomicLong::get)
				.description("Open or acknowledged alerts")
				.tag("severity", severity.name())
				.register(registry);
		}
		Gauge.builder("iot.sensors.offline", this.offline, AtomicLong::get)
			.description("Sensors with an active SENSOR_OFFLINE alert")
			.register(registry);
		Gauge.builder("iot.notifications.pending", this.pending, AtomicLong::get)
			.description("Notification deliveries waiting for their first or next attempt")
			.register(registry);
		this.resolved = Counter.builder("iot.alerts.resolved").description("Alerts resolved").register(registry);
		this.evaluationLag = Timer.builder("iot.alerts.evaluation.lag")
			.description("Time from a reading's measurement to its evaluation against the alert rules")
			.register(registry);
	}

	public void opened(Severity severity, AlertType type) {
		Counter.builder("iot.alerts.opened")
			.description("Alerts opened")
			.tag("severity", severity.name())
			.tag("type", type.name())
			.register(this.registry)
			.increment();
	}

	public void resolved() {
		this.resolved.increment();
	}

	public void delivery(String outcome, ChannelType channelType) {
		Counter.builder("iot.notifications.deliveries")
			.description("Notification delivery attempts by outcome")
			.tag("outcome", outcome)
			.tag("channel_type", channelType.name())
			.register(this.registry)
			.increment();
	}

	public void evaluationLag(Duration lag) {
		this.evaluationLag.record(lag.isNegative() ? Duration.ZERO : lag);
	}

	@Scheduled(fixedDelayString = "${iot.alerts.metrics-refresh-interval:PT10S}")
	public void refresh() {
		Map<Severity, Long> counts = new EnumMap<>(Severity.class);
		this.jdbc.sql("select severity, count(*) as n from alert where state <> 'RESOLVED' group by severity")
			.query((rs, row) -> counts.put(Severity.valueOf(rs.getString("severity")), rs.getLong("n")))
			.list();
		this.open.forEach((severity, value) -> value.set(counts.getOrDefault(severity, 0L)));
		this.offline.set(this.jdbc
			.sql("select count(*) from alert where type = 'SENSOR_OFFLINE' and state <> 'RESOLVED'")
			.query(Long.class)
			.single());
		this.pending.set(this.jdbc.sql("select count(*) from notification_delivery where status = 'PENDING'")
			.query(Long.class)
			.single());
	}

}
