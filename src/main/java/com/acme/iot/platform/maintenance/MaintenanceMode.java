package com.acme.iot.platform.maintenance;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * This replica's view of the maintenance flag. The backup module owns the flag (in the database, so every
 * replica sees it within seconds) and keeps this view current; any module reads it, e.g. a scheduled job
 * that must pause while a restore runs.
 */
@Component
public class MaintenanceMode {

	/** Why and since when the service is in maintenance. */
	public record State(String reason, Instant since) {
	}

	private final AtomicReference<@Nullable State> state = new AtomicReference<>();

	public boolean isActive() {
		return this.state.get() != null;
	}

	public Optional<State> current() {
		return Optional.ofNullable(this.state.get());
	}

	/** Called by the owner of the flag when it observes a change. */
	public void update(@Nullable State state) {
		this.state.set(state);
	}

}
