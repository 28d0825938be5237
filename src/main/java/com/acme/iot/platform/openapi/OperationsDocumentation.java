package com.acme.iot.platform.openapi;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Documents the public operations endpoints that are no controllers: health (with its liveness and readiness
 * groups), build information and this document itself.
 */
@Component
@Order(0)
class OperationsDocumentation implements EndpointDocumentation {

	@Override
	public void document(OpenAPI openApi) {
		openApi.getComponents().addSchemas("Health", health());
		Schema<?> health = new JsonSchema().$ref("#/components/schemas/Health");
		ActuatorOperations.add(openApi, "/actuator/health", HttpMethod.GET,
				ActuatorOperations.publicOperation("getHealth", "Whether the service can serve",
						"UP while the database answers and no restore holds the service in maintenance. ADMIN "
								+ "callers also get each component's details.")
					.responses(new io.swagger.v3.oas.models.responses.ApiResponses()
						.addApiResponse("200", ActuatorOperations.json("Up", health))
						.addApiResponse("503", ActuatorOperations.json("Down or out of service", health))));
		ActuatorOperations.add(openApi, "/actuator/health/{path}", HttpMethod.GET,
				ActuatorOperations.publicOperation("getHealthGroup", "One health group or component",
						"liveness says whether the process is sane (a restart would help otherwise); readiness "
								+ "whether it may receive traffic.")
					.addParametersItem(ActuatorOperations.pathParameter("path", "A group (liveness, readiness) or "
							+ "a component (db, maintenance)", OpenApiConfiguration.string(null).example("readiness")))
					.responses(new io.swagger.v3.oas.models.responses.ApiResponses()
						.addApiResponse("200", ActuatorOperations.json("Up", health))
						.addApiResponse("404", ActuatorOperations.error("No such group or component"))
						.addApiResponse("503", ActuatorOperations.json("Down or out of service", health))));
		ActuatorOperations.add(openApi, "/actuator/info", HttpMethod.GET,
				ActuatorOperations.publicOperation("getInfo", "Build, git and release information",
						"What is running: the same facts as /api/release, in actuator's format.")
					.responses(new io.swagger.v3.oas.models.responses.ApiResponses().addApiResponse("200",
							ActuatorOperations.json("The information", new JsonSchema().types(Set.of("object"))
								.description("Sections contributed by the service: build, git, release")))));
		ActuatorOperations.add(openApi, "/v3/api-docs", HttpMethod.GET,
				ActuatorOperations.publicOperation("getApiDocs", "This OpenAPI 3.1 document",
						"The contract clients generate their code from; also published with each release as "
								+ "openapi.json.")
					.responses(new io.swagger.v3.oas.models.responses.ApiResponses().addApiResponse("200",
							new ApiResponse().description("The document")
								.content(new Content().addMediaType("application/json", new MediaType()
									.schema(new JsonSchema().types(Set.of("object"))
										.description("An OpenAPI 3.1 document")))))));
	}

	private static Schema<?> health() {
		JsonSchema status = new JsonSchema();
		status.types(Set.of("string")).description("UP, DOWN, OUT_OF_SERVICE or UNKNOWN; others may be added");
		Schema<?> schema = new JsonSchema().types(Set.of("object"))
			.description("A health status, with components and details for ADMIN callers")
			.required(List.of("status"))
			.properties(new java.util.TreeMap<>(Map.of("status", status,
					"components", new JsonSchema().types(Set.of("object"))
						.additionalProperties(new JsonSchema().$ref("#/components/schemas/Health")),
					"details", new JsonSchema().types(Set.of("object")),
					"groups", new JsonSchema().types(Set.of("array")).items(OpenApiConfiguration.string(null)))));
		return schema;
	}

}
