package com.acme.iot.backup;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.maintenance.MaintenanceMode;

/**
 * Takes the replica out of readiness while in maintenance, so load balancers stop sending it traffic.
 */
@Component
class MaintenanceHealthIndicator implements HealthIndicator {

	private final MaintenanceMode mode;

	MaintenanceHealthIndicator(MaintenanceMode mode) {
		this.mode = mode;
	}

	@Override
	public Health health() {
		return this.mode.current()
			.map(state -> Health.status(Status.OUT_OF_SERVICE)
				.withDetail("reason", state.reason())
				.withDetail("since", state.since().toString())
				.build())
			.orElseGet(() -> Health.up().build());
	}

}
