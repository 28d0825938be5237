package com.acme.iot.platform.openapi;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.utils.SpringDocAnnotationsUtils;

/**
 * Helpers for modules that document their actuator endpoints by hand (springdoc does not describe them):
 * the operations tag, ADMIN security, the media types actuator answers with and schemas from Java types.
 * The errors are completed like every other operation's by {@link ContractCompletion}.
 */
public final class ActuatorOperations {

	/** The tag of the operations endpoints. */
	public static final String TAG = "Operations";

	/** What actuator answers to clients asking for JSON, and to those that do not say. */
	private static final List<String> MEDIA_TYPES = List.of("application/json",
			"application/vnd.spring-boot.actuator.v3+json");

	private ActuatorOperations() {
	}

	/** Adds an operation under {@code path}, and the operations tag if the document lacks it. */
	public static void add(OpenAPI openApi, String path, PathItem.HttpMethod method, Operation operation) {
		if (openApi.getTags() == null || openApi.getTags().stream().noneMatch(tag -> TAG.equals(tag.getName()))) {
			openApi.addTagsItem(new Tag().name(TAG)
				.description("Health, build information, this document, backups and restores (actuator)"));
		}
		operation.addTagsItem(TAG);
		PathItem item = openApi.getPaths().computeIfAbsent(path, key -> new PathItem());
		item.operation(method, operation);
	}

	/** An operation for ADMIN callers. */
	public static Operation admin(String operationId, String summary, String description) {
		return new Operation().operationId(operationId)
			.summary(summary)
			.description(description + "\n\nNeeds role ADMIN.")
			.security(List.of(new SecurityRequirement().addList(OpenApiConfiguration.API_TOKEN),
					new SecurityRequirement().addList(OpenApiConfiguration.OAUTH2_JWT)))
			.responses(new ApiResponses());
	}

	/** An operation anybody may call. */
	public static Operation publicOperation(String operationId, String summary, String description) {
		return new Operation().operationId(operationId)
			.summary(summary)
			.description(description + "\n\nPublic: no credentials needed.")
			.security(List.of())
			.responses(new ApiResponses());
	}

	/** A JSON response (either media type actuator negotiates) with this schema. */
	public static ApiResponse json(String description, Schema<?> schema) {
		Content content = new Content();
		MEDIA_TYPES.forEach(type -> content.addMediaType(type, new MediaType().schema(schema)));
		return new ApiResponse().description(description).content(content);
	}

	/** A JSON request body with this schema. */
	public static RequestBody jsonBody(Schema<?> schema, boolean required) {
		return new RequestBody().required(required)
			.content(new Content().addMediaType("application/json", new MediaType().schema(schema)));
	}

	/** An error response whose body, the problem, is added with the others. */
	public static ApiResponse error(String description) {
		return new ApiResponse().description(description);
	}

	public static Parameter pathParameter(String name, String description, Schema<?> schema) {
		return new Parameter().in("path").name(name).required(true).description(description).schema(schema);
	}

	/** The schema of a Java type as springdoc resolves it, its referenced schemas added to the components. */
	public static Schema<?> schemaOf(OpenAPI openApi, Type type) {
		Components components = openApi.getComponents();
		return SpringDocAnnotationsUtils.extractSchema(components, type, null, null, SpecVersion.V31);
	}

	public static Schema<?> arrayOf(Schema<?> items) {
		return new JsonSchema().types(Set.of("array")).items(items);
	}

	public static Schema<?> string(String description) {
		return OpenApiConfiguration.string(null).description(description);
	}

}
