package com.acme.iot.backup;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.web.ApiProblem;

/**
 * {@code /actuator/backups}: list, take, inspect (live progress) and delete backups. ADMIN only, like every
 * actuator endpoint but health and info.
 */
@Component
@WebEndpoint(id = "backups")
class BackupsEndpoint {

	private static final int MAX_LABEL = 200;

	private final Backups backups;

	BackupsEndpoint(Backups backups) {
		this.backups = backups;
	}

	@ReadOperation
	WebEndpointResponse<Object> list() {
		try {
			return new WebEndpointResponse<>(List.copyOf(this.backups.list()), 200);
		}
		catch (BackupException ex) {
			return EndpointResponses.failed(ex);
		}
	}

	@ReadOperation
	WebEndpointResponse<Object> backup(@Selector String id) {
		if (!BackupId.isValid(id)) {
			return EndpointResponses.badRequest("id", "'" + id + "' is not a backup id (like 20261124T020000Z-a1b2c3)");
		}
		try {
			return this.backups.find(new BackupId(id))
				.<WebEndpointResponse<Object>>map(view -> new WebEndpointResponse<>(view, 200))
				.orElseGet(() -> EndpointResponses.of(ApiProblem.notFound("Backup", id)));
		}
		catch (BackupException ex) {
			return EndpointResponses.failed(ex);
		}
	}

	@WriteOperation
	WebEndpointResponse<Object> start(@Nullable String trigger, @Nullable String label) {
		BackupTrigger chosen = BackupTrigger.MANUAL;
		if (trigger != null) {
			List<String> allowed = Arrays.stream(BackupTrigger.values())
				.filter(value -> value != BackupTrigger.SCHEDULED)
				.map(Enum::name)
				.toList();
			if (!allowed.contains(trigger)) {
				return EndpointResponses.badRequest("trigger", "must be one of " + String.join(", ", allowed));
			}
			chosen = BackupTrigger.valueOf(trigger);
		}
		if (label != null && (label.isBlank() || label.length() > MAX_LABEL)) {
			return EndpointResponses.badRequest("label", "must be 1 to " + MAX_LABEL + " characters");
		}
		try {
			return new WebEndpointResponse<>(this.backups.start(chosen, label), 202);
		}
		catch (ApiProblem ex) {
			return EndpointResponses.of(ex);
		}
		catch (BackupException ex) {
			return EndpointResponses.failed(ex);
		}
	}

	@DeleteOperation
	WebEndpointResponse<Object> delete(@Selector String id) {
		if (!BackupId.isValid(id)) {
			return EndpointResponses.badRequest("id", "'" + id + "' is not a backup id (like 20261124T020000Z-a1b2c3)");
		}
		try {
			this.backups.delete(new BackupId(id));
			return new WebEndpointResponse<>(204);
		}
		catch (ApiProblem ex) {
			return EndpointResponses.of(ex);
		}
		catch (BackupException ex) {
			return EndpointResponses.failed(ex);
		}
	}

}
