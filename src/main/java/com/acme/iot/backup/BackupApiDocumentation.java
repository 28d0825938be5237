package com.acme.iot.backup;

import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.springframework.stereotype.Component;

import com.acme.iot.platform.openapi.ActuatorOperations;
import com.acme.iot.platform.openapi.EndpointDocumentation;

/**
 * Documents {@code /actuator/backups} and {@code /actuator/restore} in the OpenAPI document (springdoc does not
 * describe actuator endpoints): an operation added to {@link BackupsEndpoint} or {@link RestoreEndpoint} is
 * added here too, or the response validation of the tests fails.
 */
@Component
class BackupApiDocumentation implements EndpointDocumentation {

	private static final String BACKUPS = "/actuator/backups";

	@Override
	public void document(OpenAPI openApi) {
		Schema<?> backup = ActuatorOperations.schemaOf(openApi, BackupView.class);
		Schema<?> restore = ActuatorOperations.schemaOf(openApi, RestoreView.class);
		Schema<?> id = new JsonSchema().types(Set.of("string"))
			.pattern("^\\d{8}T\\d{6}Z-[0-9a-f]{6}$")
			.example("20261124T020000Z-a1b2c3");
		ActuatorOperations.add(openApi, BACKUPS, HttpMethod.GET, ActuatorOperations
			.admin("listBackups", "Every backup, newest first", "Complete backups from the store, running and failed "
					+ "ones from this replica's memory.")
			.responses(new ApiResponses().addApiResponse("200", ActuatorOperations.json("The backups",
					ActuatorOperations.arrayOf(backup)))
				.addApiResponse("503", ActuatorOperations.error("The backup store cannot be read"))));
		ActuatorOperations.add(openApi, BACKUPS, HttpMethod.POST, ActuatorOperations
			.admin("startBackup", "Take a backup now", "Answers at once; follow the progress with getBackup.")
			.requestBody(ActuatorOperations.jsonBody(ActuatorOperations.schemaOf(openApi, BackupRequest.class), false))
			.responses(new ApiResponses().addApiResponse("202", ActuatorOperations.json("Started", backup))
				.addApiResponse("400", ActuatorOperations.error("trigger or label is invalid"))
				.addApiResponse("409", ActuatorOperations.error("A backup is already running"))
				.addApiResponse("503", ActuatorOperations.error("The backup store cannot be written, or the database "
						+ "cannot be reached"))));
		ActuatorOperations.add(openApi, BACKUPS + "/{id}", HttpMethod.GET, ActuatorOperations
			.admin("getBackup", "One backup, with live progress while it runs", "bytesWritten grows while it runs.")
			.addParametersItem(ActuatorOperations.pathParameter("id", "The backup's id", id))
			.responses(new ApiResponses().addApiResponse("200", ActuatorOperations.json("The backup", backup))
				.addApiResponse("400", ActuatorOperations.error("Not a backup id"))
				.addApiResponse("404", ActuatorOperations.error("No backup has this id"))
				.addApiResponse("503", ActuatorOperations.error("The backup store cannot be read"))));
		ActuatorOperations.add(openApi, BACKUPS + "/{id}", HttpMethod.DELETE, ActuatorOperations
			.admin("deleteBackup", "Delete a backup", "Its dump and manifest leave the store.")
			.addParametersItem(ActuatorOperations.pathParameter("id", "The backup's id", id))
			.responses(new ApiResponses().addApiResponse("204", new ApiResponse().description("Deleted"))
				.addApiResponse("400", ActuatorOperations.error("Not a backup id"))
				.addApiResponse("404", ActuatorOperations.error("No backup has this id"))
				.addApiResponse("409", ActuatorOperations.error("The backup is still running"))
				.addApiResponse("503", ActuatorOperations.error("The backup store cannot be written"))));
		ActuatorOperations.add(openApi, "/actuator/restore", HttpMethod.GET, ActuatorOperations
			.admin("getRestore", "The current or last restore or drill", "With its phase while it runs.")
			.responses(new ApiResponses().addApiResponse("200", ActuatorOperations.json("The restore", restore))
				.addApiResponse("404", ActuatorOperations.error("No restore or drill has run yet"))));
		ActuatorOperations.add(openApi, "/actuator/restore", HttpMethod.POST, ActuatorOperations
			.admin("startRestore", "Restore the live database from a backup, or run a drill",
					"The live database is replaced only when confirm repeats backupId; target scratch restores into a "
							+ "throw-away database and checks it. Writes answer 503 while a live restore runs.")
			.requestBody(ActuatorOperations.jsonBody(ActuatorOperations.schemaOf(openApi, RestoreRequest.class), true))
			.responses(new ApiResponses().addApiResponse("202", ActuatorOperations.json("Started", restore))
				.addApiResponse("400", ActuatorOperations.error("backupId, confirm or target is invalid"))
				.addApiResponse("404", ActuatorOperations.error("No backup has this id"))
				.addApiResponse("409", ActuatorOperations.error("A restore is already running"))
				.addApiResponse("503", ActuatorOperations.error("The backup store cannot be read"))));
	}

	/** Documents the body of {@code POST /actuator/backups}. */
	record BackupRequest(
			@io.swagger.v3.oas.annotations.media.Schema(description = "Why the backup is taken; MANUAL by default",
					allowableValues = { "MANUAL", "PRE_DEPLOY", "PRE_RESTORE" }) @org.jspecify.annotations.Nullable String trigger,
			@io.swagger.v3.oas.annotations.media.Schema(minLength = 1, maxLength = 200,
					description = "Free text kept in the manifest") @org.jspecify.annotations.Nullable String label) {
	}

	/** Documents the body of {@code POST /actuator/restore}. */
	record RestoreRequest(
			@io.swagger.v3.oas.annotations.media.Schema(example = "20261124T020000Z-a1b2c3",
					pattern = "^\\d{8}T\\d{6}Z-[0-9a-f]{6}$") String backupId,
			@io.swagger.v3.oas.annotations.media.Schema(description = "Repeats backupId to restore the live database")
			@org.jspecify.annotations.Nullable String confirm,
			@io.swagger.v3.oas.annotations.media.Schema(description = "scratch for a drill; absent or live for the "
					+ "live database", allowableValues = { "live", "scratch" }) @org.jspecify.annotations.Nullable String target) {
	}

}
