package com.acme.iot.platform.events;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.event.TransactionalApplicationListenerMethodAdapter;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;
import com.acme.iot.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event publication registry with the real JDBC registry on PostgreSQL and a listener that fails on demand:
 * a failed publication stays, shows in the gauges and the ADMIN view, is retried with backoff, a bounded batch at a
 * time, and disappears once its listener succeeds. The schedules are an hour apart, so each test runs the retry job
 * (through its ShedLock proxy, as the scheduler does) and the gauge refresh itself, on a clock it moves.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.events.resubmission.interval=PT1H", "iot.events.metrics-refresh-interval=PT1H",
				"iot.events.resubmission.batch-size=3" })
@Import(EventPublicationRegistryIntegrationTests.ProbeConfiguration.class)
@DirtiesContext
class EventPublicationRegistryIntegrationTests {

	/** An event of this test only. */
	record Probe(String name) {
	}

	/** Whether the probe listener fails, and how often it was called (the listener itself is a proxy). */
	static class ProbeState {

		final AtomicBoolean failing = new AtomicBoolean();

		final AtomicInteger calls = new AtomicInteger();

	}

	/** A module listener that fails while told to, and counts its calls. */
	static class ProbeListener {

		private final ProbeState state;

		ProbeListener(ProbeState state) {
			this.state = state;
		}

		@ApplicationModuleListener
		void on(Probe probe) {
			this.state.calls.incrementAndGet();
			if (this.state.failing.get()) {
				throw new IllegalStateException("probe listener is down");
			}
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ProbeConfiguration {

		@Bean
		ProbeState probeState() {
			return new ProbeState();
		}

		@Bean
		ProbeListener probeListener(ProbeState probeState) {
			return new ProbeListener(probeState);
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	ProbeState listener;

	@Autowired
	TestClock clock;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EventPublicationResubmission resubmission;

	@Autowired
	EventPublicationMetrics metrics;

	ApiClient admin;

	@BeforeEach
	void setUp() {
		this.jdbc.sql("delete from event_publication").update();
		this.clock.reset();
		this.listener.failing.set(false);
		this.listener.calls.set(0);
		this.admin = new ApiClient(this.port, "test-admin-token");
	}

	@Test
	void keepsAFailedPublicationVisibleAndRetriesItWithBackoffUntilItsListenerSucceeds() {
		this.listener.failing.set(true);
		publish("stuck");
		awaitCalls(1);
		awaitStatus("FAILED");

		this.metrics.refresh();
		assertThat(scrape("iot_events_publications_incomplete{status=\"FAILED\"}")).isEqualTo(1.0);
		this.resubmission.resubmitFailedPublications();
		assertThat(attempts()).as("not retried before the initial backoff").isEqualTo(1);

		this.clock.advance(Duration.ofSeconds(30));
		this.resubmission.resubmitFailedPublications();
		assertThat(attempts()).isEqualTo(2);
		awaitCalls(2);
		awaitStatus("FAILED");
		this.clock.advance(Duration.ofSeconds(30));
		this.resubmission.resubmitFailedPublications();
		assertThat(attempts()).as("not retried before the backoff, doubled to 60 s").isEqualTo(2);
		assertThat(this.listener.calls).hasValue(2);

		this.clock.advance(Duration.ofMinutes(20));
		this.metrics.refresh();
		assertThat(scrape("iot_events_publications_incomplete{status=\"FAILED\"}")).isEqualTo(1.0);
		assertThat(scrape("iot_events_publications_oldest_age_seconds")).isGreaterThan(20 * 60.0);

		JsonNode view = this.admin.get("/actuator/eventpublications").json();
		assertThat(view.get("incomplete").longValue()).isEqualTo(1);
		assertThat(view.get("byStatus").get("FAILED").longValue()).isEqualTo(1);
		JsonNode stuck = view.get("publications").get(0);
		assertThat(stuck.get("listener").stringValue()).isEqualTo(listenerId());
		assertThat(stuck.get("listenerKnown").booleanValue()).isTrue();
		assertThat(stuck.get("eventType").stringValue()).isEqualTo(Probe.class.getName());
		assertThat(stuck.get("status").stringValue()).isEqualTo("FAILED");
		assertThat(stuck.get("attempts").intValue()).isEqualTo(2);
		assertThat(stuck.get("event").stringValue()).contains("stuck");
		Instant published = Instant.parse(stuck.get("publishedAt").stringValue());
		Instant lastAttempt = Instant.parse(stuck.get("lastAttemptAt").stringValue());
		assertThat(view.get("oldestPublishedAt").stringValue()).isEqualTo(stuck.get("publishedAt").stringValue());
		assertThat(Duration.between(published, lastAttempt)).as("first retry after the 30 s backoff")
			.isBetween(Duration.ofSeconds(30), Duration.ofMinutes(2));
		assertThat(Instant.parse(stuck.get("nextAttemptAt").stringValue())).isEqualTo(lastAttempt.plusSeconds(60));

		this.listener.failing.set(false);
		this.resubmission.resubmitFailedPublications();
		awaitCalls(3);
		await().atMost(Duration.ofSeconds(20)).until(() -> rows() == 0);
		this.metrics.refresh();
		assertThat(scrape("iot_events_publications_incomplete{status=\"FAILED\"}")).isZero();
		assertThat(scrape("iot_events_publications_oldest_age_seconds")).isZero();
		assertThat(this.admin.get("/actuator/eventpublications").json().get("incomplete").longValue()).isZero();
	}

	@Test
	void retriesAtMostOneBatchPerRunAfterAnOutage() {
		this.listener.failing.set(true);
		for (int i = 0; i < 7; i++) {
			publish("outage-" + i);
		}
		awaitCalls(7);
		await().atMost(Duration.ofSeconds(20)).until(() -> count("status = 'FAILED'") == 7);
		this.listener.failing.set(false);
		this.clock.advance(Duration.ofHours(1));

		for (int remaining : new int[] { 4, 1, 0 }) {
			int calls = this.listener.calls.get();
			long before = rows();
			this.resubmission.resubmitFailedPublications();
			await().atMost(Duration.ofSeconds(20)).until(() -> rows() == remaining);
			assertThat(this.listener.calls.get() - calls).as("the batch size, or what is left")
				.isEqualTo((int) Math.min(3, before));
		}
	}

	@Test
	void retriesACallLostWithAStoppedReplicaAndShowsAnUnknownListener() {
		Instant now = this.clock.instant();
		UUID lost = insert(listenerId(), "PROCESSING", now.minus(Duration.ofMinutes(6)));
		UUID running = insert(listenerId(), "PUBLISHED", now.minus(Duration.ofMinutes(1)));
		UUID orphan = insert("com.acme.iot.gone.Removed.on(" + Probe.class.getName() + ")", "FAILED",
				now.minus(Duration.ofMinutes(2)));

		JsonNode view = this.admin.get("/actuator/eventpublications?limit=2").json();
		assertThat(view.get("incomplete").longValue()).isEqualTo(3);
		assertThat(view.get("publications")).hasSize(2);
		assertThat(view.get("publications").get(0).get("id").stringValue()).isEqualTo(lost.toString());
		assertThat(view.get("publications").get(0).path("nextAttemptAt").stringValue(null)).as("not failed yet")
			.isNull();
		assertThat(view.get("publications").get(1).get("id").stringValue()).isEqualTo(orphan.toString());
		assertThat(view.get("publications").get(1).get("listenerKnown").booleanValue()).isFalse();

		this.resubmission.resubmitFailedPublications();

		await().atMost(Duration.ofSeconds(20)).until(() -> count("id = '" + lost + "'") == 0);
		assertThat(this.listener.calls).hasValue(1);
		assertThat(status(running)).as("a call younger than stale-after may still be queued").isEqualTo("PUBLISHED");
		assertThat(status(orphan)).isEqualTo("FAILED");
	}

	@Test
	void refusesABadLimitAndNonAdmins() {
		for (String limit : new String[] { "0", "1001", "ten", "-5" }) {
			Response refused = this.admin.get("/actuator/eventpublications?limit=" + limit);
			assertThat(refused.status()).as("limit=" + limit).isEqualTo(400);
			assertThat(refused.contentType()).startsWith("application/problem+json");
		}
		for (String role : new String[] { "READER", "OPERATOR" }) {
			Response forbidden = this.admin.as(this.admin.issueToken(role)).get("/actuator/eventpublications");
			assertThat(forbidden.status()).as(role).isEqualTo(403);
			assertThat(forbidden.contentType()).startsWith("application/problem+json");
		}
		assertThat(this.admin.as(null).get("/actuator/eventpublications").status()).isEqualTo(401);
	}

	// helpers

	private void publish(String name) {
		this.transactions.executeWithoutResult(status -> this.events.publishEvent(new Probe(name)));
	}

	private void awaitCalls(int calls) {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.listener.calls.get() >= calls);
	}

	private void awaitStatus(String status) {
		await().atMost(Duration.ofSeconds(20)).until(() -> count("status = '" + status + "'") == 1 && rows() == 1);
	}

	private int attempts() {
		return this.jdbc.sql("select completion_attempts from event_publication").query(Integer.class).single();
	}

	private long rows() {
		return count("true");
	}

	private long count(String condition) {
		return this.jdbc.sql("select count(*) from event_publication where " + condition).query(Long.class).single();
	}

	private String status(UUID id) {
		return this.jdbc.sql("select status from event_publication where id = :id")
			.param("id", id)
			.query(String.class)
			.single();
	}

	private UUID insert(String listenerId, String status, Instant publishedAt) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into event_publication (id, listener_id, event_type, serialized_event, publication_date, status,
				                               completion_attempts, last_resubmission_date)
				values (:id, :listener, :type, :event, :at, :status, 1, :at)""")
			.param("id", id)
			.param("listener", listenerId)
			.param("type", Probe.class.getName())
			.param("event", "{\"name\":\"" + id + "\"}")
			.param("at", Timestamp.from(publishedAt))
			.param("status", status)
			.update();
		return id;
	}

	private static String listenerId() {
		try {
			return new TransactionalApplicationListenerMethodAdapter("probeListener", ProbeListener.class,
					ProbeListener.class.getDeclaredMethod("on", Probe.class))
				.getListenerId();
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The value of one sample of the Prometheus scrape, read as an admin. */
	private double scrape(String sample) {
		Response scrape = this.admin.get("/actuator/prometheus");
		assertThat(scrape.status()).isEqualTo(200);
		return scrape.body()
			.lines()
			.filter(line -> line.startsWith(sample + " "))
			.mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no sample " + sample + " in the scrape"));
	}

}
