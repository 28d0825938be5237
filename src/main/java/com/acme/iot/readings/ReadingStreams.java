package com.acme.iot.readings;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;

/**
 * Live streams of a sensor's readings over Server-Sent Events. The stream follows the database, not this
 * replica's memory, so it sees readings ingested by any replica; its position is (storing transaction,
 * measurement time) and only readings of transactions older than every running one are sent, so a slow
 * transaction cannot commit behind a client's position — resuming with {@code Last-Event-ID} leaves no gap.
 */
@Component
class ReadingStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ReadingStreams.class);

	/** Stands for "any measurement time" in a position that starts at a transaction horizon. */
	private static final long END_OF_TIME = StoredReading
		.micros(LocalDateTime.of(9999, 12, 31, 0, 0).toInstant(ZoneOffset.UTC));

	private static final int PAGE = 1000;

	private static final long HEARTBEAT_NANOS = java.time.Duration.ofSeconds(15).toNanos();

	private final ReadingRepository readings;

	private final ReadingSettings settings;

	private final Map<UUID, List<Subscription>> subscriptions = new ConcurrentHashMap<>();

	/** Created on every start: a stopped context (shutdown, or a paused test context) may be started again. */
	private volatile ScheduledExecutorService poller = newPoller();

	ReadingStreams(ReadingRepository readings, ReadingSettings settings) {
		this.readings = readings;
		this.settings = settings;
	}

	private static ScheduledExecutorService newPoller() {
		return Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "reading-streams");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** A client's stream and how far it got. */
	private static final class Subscription {

		final SseEmitter emitter;

		volatile long tx;

		volatile long micros;

		volatile long lastSentNanos = System.nanoTime();

		Subscription(SseEmitter emitter, long tx, long micros) {
			this.emitter = emitter;
			this.tx = tx;
			this.micros = micros;
		}

	}

	SseEmitter open(UUID sensor, @Nullable String lastEventId) {
		long tx;
		long micros;
		if (lastEventId == null || lastEventId.isBlank()) {
			tx = this.readings.horizon() - 1;
			micros = END_OF_TIME;
		}
		else {
			long[] position = parse(lastEventId);
			tx = position[0];
			micros = position[1];
		}
		SseEmitter emitter = new SseEmitter(this.settings.streamTimeout().toMillis());
		Subscription subscription = new Subscription(emitter, tx, micros);
		Runnable remove = () -> this.subscriptions.computeIfPresent(sensor, (id, list) -> {
			list.remove(subscription);
			return list.isEmpty() ? null : list;
		});
		emitter.onCompletion(remove);
		emitter.onTimeout(remove);
		emitter.onError(error -> remove.run());
		try {
			// Sent at once so the client sees the stream open before the first reading arrives.
			emitter.send(SseEmitter.event().comment("readings of sensor " + sensor).reconnectTime(3000));
		}
		catch (IOException ex) {
			emitter.completeWithError(ex);
			return emitter;
		}
		this.subscriptions.computeIfAbsent(sensor, id -> new CopyOnWriteArrayList<>()).add(subscription);
		try {
			this.poller.execute(this::pollSafely);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// Shutting down: the stream ends with the others in stop(); the client reconnects elsewhere.
			emitter.complete();
		}
		return emitter;
	}

	private static long[] parse(String lastEventId) {
		String[] parts = lastEventId.trim().split("-");
		try {
			if (parts.length == 2) {
				return new long[] { Long.parseLong(parts[0]), Long.parseLong(parts[1]) };
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw ApiProblem.badRequest("Last-Event-ID is not an id this stream sent.",
				List.of(FieldProblem.of("Last-Event-ID", "'" + lastEventId + "' is not an event id of this stream")));
	}

	private void pollSafely() {
		try {
			this.subscriptions.forEach((sensor, list) -> list.forEach(subscription -> poll(sensor, subscription)));
		}
		catch (RuntimeException ex) {
			log.warn("Polling live reading streams failed, retrying: {}", ex.getMessage());
		}
	}

	private synchronized void poll(UUID sensor, Subscription subscription) {
		List<ReadingRepository.Committed> page;
		do {
			page = this.readings.committedAfter(sensor, subscription.tx, subscription.micros, PAGE);
			for (ReadingRepository.Committed committed : page) {
				Instant time = committed.reading().time();
				try {
					subscription.emitter.send(SseEmitter.event()
						.id(committed.tx() + "-" + committed.reading().micros())
						.name("reading")
						.data(Map.of("time", time.toString(), "value", committed.reading().value()),
								MediaType.APPLICATION_JSON));
				}
				catch (IOException | IllegalStateException ex) {
					subscription.emitter.completeWithError(ex);
					return;
				}
				subscription.lastSentNanos = System.nanoTime();
				subscription.tx = committed.tx();
				subscription.micros = committed.reading().micros();
			}
		}
		while (page.size() == PAGE);
		if (System.nanoTime() - subscription.lastSentNanos > HEARTBEAT_NANOS) {
			// A comment now and then keeps proxies from closing an idle stream and reveals dead clients.
			try {
				subscription.emitter.send(SseEmitter.event().comment("keep-alive"));
				subscription.lastSentNanos = System.nanoTime();
			}
			catch (IOException | IllegalStateException ex) {
				subscription.emitter.completeWithError(ex);
			}
		}
	}

	private volatile boolean running;

	@Override
	public void start() {
		if (this.poller.isShutdown()) {
			this.poller = newPoller();
		}
		long period = Math.max(50, this.settings.streamPollInterval().toMillis());
		this.poller.scheduleWithFixedDelay(this::pollSafely, period, period, TimeUnit.MILLISECONDS);
		this.running = true;
	}

	/**
	 * Ends every open stream before the web server's graceful shutdown starts waiting for requests: a stream
	 * never finishes by itself, and clients reconnect with {@code Last-Event-ID} to another replica.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.poller.shutdownNow();
		this.subscriptions.values().forEach(list -> list.forEach(subscription -> subscription.emitter.complete()));
		this.subscriptions.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
