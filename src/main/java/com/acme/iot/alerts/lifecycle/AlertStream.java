package com.acme.iot.alerts.lifecycle;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.acme.iot.alerts.support.AlertSettings;

/**
 * Fans alert changes out to the connected {@code /api/alerts/stream} clients. Sending happens on its own
 * thread so that a slow client never holds up evaluation.
 */
@Component
class AlertStream implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(AlertStream.class);

	private final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();

	private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
		Thread thread = new Thread(runnable, "alert-stream");
		thread.setDaemon(true);
		return thread;
	});

	private final AlertSettings settings;

	AlertStream(AlertSettings settings) {
		this.settings = settings;
	}

	SseEmitter subscribe() {
		SseEmitter emitter = new SseEmitter(this.settings.streamTimeout().toMillis());
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> this.emitters.remove(emitter));
		emitter.onError(error -> this.emitters.remove(emitter));
		this.emitters.add(emitter);
		try {
			emitter.send(SseEmitter.event().comment("connected").reconnectTime(5_000));
		}
		catch (IOException ex) {
			this.emitters.remove(emitter);
		}
		return emitter;
	}

	void publish(AlertChange change, AlertView alert) {
		if (this.emitters.isEmpty()) {
			return;
		}
		this.sender.execute(() -> {
			SseEmitter.SseEventBuilder event = SseEmitter.event()
				.name("alert")
				.id(alert.id().toString())
				.data(Map.of("change", change, "alert", alert), MediaType.APPLICATION_JSON);
			this.emitters.forEach(emitter -> send(emitter, event));
		});
	}

	@Scheduled(fixedDelayString = "${iot.alerts.stream-heartbeat:PT20S}")
	void heartbeat() {
		if (!this.emitters.isEmpty()) {
			this.sender.execute(() -> this.emitters.forEach(emitter -> send(emitter, SseEmitter.event().comment("heartbeat"))));
		}
	}

	private void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
		try {
			emitter.send(event);
		}
		catch (IOException | IllegalStateException ex) {
			log.debug("Dropping an alert stream client: {}", ex.getMessage());
			this.emitters.remove(emitter);
			emitter.completeWithError(ex);
		}
	}

	/**
	 * Ends every stream as soon as shutdown begins, before the web server's graceful phase, which would
	 * otherwise wait for these never-ending requests; clients reconnect to another replica.
	 */
	@EventListener(ContextClosedEvent.class)
	void closeStreams() {
		this.emitters.forEach(SseEmitter::complete);
		this.emitters.clear();
	}

	@Override
	public void destroy() {
		closeStreams();
		this.sender.shutdownNow();
	}

}
