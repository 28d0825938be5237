package com.acme.iot.backup;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.web.ApiProblem;

/**
 * {@code /actuator/restore}: restore the live database ({@code confirm} repeats the backup id, so a
 * copy-paste slip cannot replace production) or run a drill into a scratch database; show the current or
 * last one.
 */
@Component
@WebEndpoint(id = "restore")
class RestoreEndpoint {

	private final Restores restores;

	RestoreEndpoint(Restores restores) {
		this.restores = restores;
	}

	@ReadOperation
	WebEndpointResponse<Object> current() {
		return this.restores.current()
			.<WebEndpointResponse<Object>>map(view -> new WebEndpointResponse<>(view, 200))
			.orElseGet(() -> EndpointResponses
				.of(ApiProblem.of(org.springframework.http.HttpStatus.NOT_FOUND, com.acme.iot.platform.web.ProblemTypes.NOT_FOUND,
						"No restore yet", "No restore or drill has run yet.")));
	}

	@WriteOperation
	WebEndpointResponse<Object> restore(@Nullable String backupId, @Nullable String confirm, @Nullable String target,
			SecurityContext security) {
		if (backupId == null || backupId.isBlank()) {
			return EndpointResponses.badRequest("backupId", "is required");
		}
		if (!BackupId.isValid(backupId)) {
			return EndpointResponses.badRequest("backupId",
					"'" + backupId + "' is not a backup id (like 20261124T020000Z-a1b2c3)");
		}
		Restores.Target chosen;
		if (target == null || target.equals("live")) {
			if (!backupId.equals(confirm)) {
				return EndpointResponses.badRequest("confirm",
						"must repeat the backupId to restore the live database (or use \"target\":\"scratch\" for a drill)");
			}
			chosen = Restores.Target.LIVE;
		}
		else if (target.equals("scratch")) {
			chosen = Restores.Target.SCRATCH;
		}
		else {
			return EndpointResponses.badRequest("target", "must be \"scratch\" (a drill) or absent (the live database)");
		}
		Principal principal = security.getPrincipal();
		try {
			return new WebEndpointResponse<>(
					this.restores.start(new BackupId(backupId), chosen, principal == null ? null : principal.getName()),
					202);
		}
		catch (ApiProblem ex) {
			return EndpointResponses.of(ex);
		}
		catch (BackupException ex) {
			return EndpointResponses.failed(ex);
		}
	}

}
