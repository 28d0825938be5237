package com.acme.iot.platform.events;

import java.time.Duration;
import java.util.function.IntSupplier;

import com.acme.iot.platform.web.ApiProblem;

/**
 * The module-listener calls waiting for a thread, and the gate that keeps their number bounded. The listeners'
 * queue itself is unbounded (a listener call is never refused, so no event is dropped), so a module that
 * publishes many events at once asks for room first, before its transaction, while it holds no database
 * connection.
 */
public class ListenerBacklog {

	private static final Duration POLL = Duration.ofMillis(20);

	private final IntSupplier waiting;

	private final ListenerSettings settings;

	ListenerBacklog(IntSupplier waiting, ListenerSettings settings) {
		this.waiting = waiting;
		this.settings = settings;
	}

	/** Listener calls waiting for a thread right now. */
	public int waiting() {
		return this.waiting.getAsInt();
	}

	/**
	 * Returns at once while the backlog is below {@code iot.events.listeners.max-pending}; otherwise waits for it
	 * to drain, up to {@code max-wait}.
	 * @throws ApiProblem 503 with {@code Retry-After} when the listeners are still that far behind
	 */
	public void awaitRoom() {
		if (waiting() < this.settings.maxPending()) {
			return;
		}
		long deadline = System.nanoTime() + this.settings.maxWait().toNanos();
		try {
			while (waiting() >= this.settings.maxPending()) {
				if (System.nanoTime() - deadline >= 0) {
					throw ApiProblem.unavailable("Busy processing earlier readings",
							"The service is " + waiting() + " events behind; nothing of this request was stored. "
									+ "Send it again after the Retry-After delay.",
							Duration.ofSeconds(5));
				}
				Thread.sleep(POLL.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ApiProblem.unavailable("Shutting down", "The request was interrupted before anything was stored.",
					Duration.ofSeconds(5));
		}
	}

}
