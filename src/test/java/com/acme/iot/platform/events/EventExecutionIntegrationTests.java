package com.acme.iot.platform.events;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.annotation.DirtiesContext;

import com.acme.iot.ApiClient;
import com.acme.iot.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The asynchronous module listeners run on a fixed pool whose backlog is bounded by holding back the publishers
 * of many events: a gateway batch waits, then answers 503 with Retry-After, instead of queueing events in memory
 * until the heap is full. Its own context: the test fills the listeners' pool on purpose.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.events.listeners.threads=1",
				"iot.events.listeners.max-pending=2", "iot.events.listeners.max-wait=PT0.5S" })
@DirtiesContext
class EventExecutionIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	AsyncConfigurer async;

	@Autowired
	ThreadPoolTaskExecutor moduleListenerExecutor;

	@Autowired
	ListenerBacklog backlog;

	@Autowired
	TestClock clock;

	@Test
	void moduleListenersRunOnAFixedPoolOfTheirOwn() {
		assertThat(this.async.getAsyncExecutor()).isSameAs(this.moduleListenerExecutor);
		assertThat(this.moduleListenerExecutor.getMaxPoolSize()).isEqualTo(1);
		assertThat(this.moduleListenerExecutor.getCorePoolSize()).isEqualTo(1);
	}

	@Test
	void batchesWaitThenAnswer503WhileTheListenersAreTooFarBehind() throws Exception {
		ApiClient operator = new ApiClient(this.port, "test-admin-token");
		String sensor = operator.post("/api/sensors", "{\"name\":\"backlog\",\"kind\":\"CO2\",\"site\":\"events\"}")
			.json()
			.get("id")
			.stringValue();
		String reading = "[{\"sensorId\":\"" + sensor + "\",\"time\":\"" + this.clock.today().minusDays(1)
				+ "T00:00:00Z\",\"value\":400}]";
		CountDownLatch release = new CountDownLatch(1);
		Runnable blocked = () -> {
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		// the sensor's own events first: then the pool holds the blocked tasks only
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.moduleListenerExecutor.getActiveCount() == 0 && this.backlog.waiting() == 0);
		try {
			for (int i = 0; i < 3; i++) { // one runs on the only thread, two wait
				this.moduleListenerExecutor.execute(blocked);
			}
			// the idle thread takes the first from the queue
			await().atMost(Duration.ofSeconds(10)).until(() -> this.backlog.waiting() == 2);

			ApiClient.Response refused = operator.post("/api/readings", reading);

			assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).contains("5");
			assertThat(refused.contentType()).startsWith("application/problem+json");
			assertThat(operator.get("/api/sensors/" + sensor + "/readings/latest").status())
				.as("nothing of the refused batch was stored")
				.isEqualTo(404);
		}
		finally {
			release.countDown();
		}

		ApiClient.Response accepted = operator.post("/api/readings", reading);

		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
		assertThat(accepted.json().get("accepted").intValue()).isEqualTo(1);
	}

}
