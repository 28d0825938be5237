package com.acme.iot.platform.openapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * The last pass over the document, for every operation whoever described it (controllers, actuator endpoints):
 * adds each error status the service's shared machinery can answer (parameters, bodies, security, database,
 * maintenance), gives every error the one problem+json schema, and makes request schemas' nullable members
 * optional (a client may leave them out).
 */
@Component
class ContractCompletion implements OpenApiCustomizer {

	private final List<EndpointDocumentation> endpoints;

	ContractCompletion(List<EndpointDocumentation> endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	public void customise(OpenAPI openApi) {
		this.endpoints.forEach(endpoint -> endpoint.document(openApi));
		openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
			.forEach((method, operation) -> complete(path, method, operation)));
		relaxRequestSchemas(openApi);
		dropUnusedSchemas(openApi);
	}

	/** Schemas springdoc derived from return types that the document describes otherwise (SseEmitter). */
	@SuppressWarnings("rawtypes")
	private static void dropUnusedSchemas(OpenAPI openApi) {
		Map<String, Schema> schemas = openApi.getComponents().getSchemas();
		Set<String> used = new HashSet<>();
		openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
			if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
				operation.getRequestBody().getContent().values().forEach(media -> reach(media.getSchema(), schemas, used));
			}
			if (operation.getParameters() != null) {
				operation.getParameters().forEach(parameter -> reach(parameter.getSchema(), schemas, used));
			}
			if (operation.getResponses() != null) {
				operation.getResponses().values().forEach(response -> {
					if (response.getContent() != null) {
						response.getContent().values().forEach(media -> reach(media.getSchema(), schemas, used));
					}
				});
			}
		}));
		if (openApi.getComponents().getResponses() != null) {
			openApi.getComponents().getResponses().values().forEach(response -> response.getContent()
				.values()
				.forEach(media -> reach(media.getSchema(), schemas, used)));
		}
		schemas.keySet().retainAll(used);
		Set<String> responses = new HashSet<>();
		openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> operation.getResponses()
			.values()
			.stream()
			.filter(response -> response.get$ref() != null)
			.forEach(response -> responses.add(response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1)))));
		openApi.getComponents().getResponses().keySet().retainAll(responses);
	}

	private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
		boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
		boolean body = operation.getRequestBody() != null;
		boolean api = path.startsWith("/api/");
		ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
		// Even without parameters: a query string that cannot be decoded is refused before routing.
		addIf(responses, "400", true);
		// A public operation still refuses a request presenting an invalid token, and throttles its address.
		addIf(responses, "401", true);
		addIf(responses, "403", secured);
		addIf(responses, "404", path.contains("{"));
		addIf(responses, "406", true);
		addIf(responses, "413", body);
		addIf(responses, "415", body);
		addIf(responses, "422", body && api);
		addIf(responses, "429", true);
		addIf(responses, "500", true);
		addIf(responses, "503", secured || (api && method != PathItem.HttpMethod.GET));
		ApiResponses sorted = new ApiResponses();
		new TreeMap<>(responses).forEach((status, response) -> sorted.addApiResponse(status, problem(status, response)));
		operation.setResponses(sorted);
	}

	private static void addIf(ApiResponses responses, String status, boolean applies) {
		if (applies && !responses.containsKey(status)) {
			responses.addApiResponse(status,
					new ApiResponse().$ref("#/components/responses/" + OpenApiConfiguration.responseName(status)));
		}
	}

	/**
	 * An error described by its reason gets the problem+json body, whatever springdoc guessed from the method's
	 * return type; only the health endpoints answer an error (503) with a document of their own.
	 */
	private static ApiResponse problem(String status, ApiResponse response) {
		if (response.get$ref() != null || status.startsWith("2") || status.startsWith("3") || isHealth(response)) {
			return response;
		}
		response.setContent(new Content().addMediaType(OpenApiConfiguration.PROBLEM_JSON,
				new MediaType().schema(new JsonSchema().$ref("#/components/schemas/" + OpenApiConfiguration.PROBLEM))));
		return response;
	}

	private static boolean isHealth(ApiResponse response) {
		return response.getContent() != null && response.getContent()
			.values()
			.stream()
			.anyMatch(media -> media.getSchema() != null && "#/components/schemas/Health".equals(media.getSchema().get$ref()));
	}

	/**
	 * Response schemas list every member as required (null where it has no value); a request body may leave
	 * out its nullable members instead.
	 */
	@SuppressWarnings("rawtypes")
	private static void relaxRequestSchemas(OpenAPI openApi) {
		if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
			return;
		}
		Map<String, Schema> schemas = openApi.getComponents().getSchemas();
		Set<String> requests = new HashSet<>();
		Set<String> responses = new HashSet<>();
		openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
			if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
				operation.getRequestBody().getContent().values().forEach(media -> reach(media.getSchema(), schemas, requests));
			}
			if (operation.getResponses() != null) {
				operation.getResponses().values().forEach(response -> {
					if (response.getContent() != null) {
						response.getContent().values().forEach(media -> reach(media.getSchema(), schemas, responses));
					}
				});
			}
		}));
		requests.removeAll(responses);
		for (String name : requests) {
			Schema schema = schemas.get(name);
			if (schema.getRequired() != null && schema.getProperties() != null) {
				List<?> required = ((List<?>) schema.getRequired()).stream()
					.filter(member -> !allowsNull((Schema) schema.getProperties().get(member)))
					.toList();
				schema.setRequired(required.isEmpty() ? null : required);
			}
		}
	}

	@SuppressWarnings("rawtypes")
	private static boolean allowsNull(Schema schema) {
		if (schema == null) {
			return false;
		}
		if (schema.getTypes() != null && schema.getTypes().contains("null")) {
			return true;
		}
		return schema.getOneOf() != null && ((List<?>) schema.getOneOf()).stream()
			.anyMatch(choice -> ((Schema) choice).getTypes() != null && ((Schema) choice).getTypes().contains("null"));
	}

	/** Adds the names of the component schemas {@code schema} refers to, directly or not. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void reach(Schema schema, Map<String, Schema> schemas, Set<String> names) {
		Deque<Schema> pending = new ArrayDeque<>();
		if (schema != null) {
			pending.add(schema);
		}
		while (!pending.isEmpty()) {
			Schema next = pending.pop();
			if (next.get$ref() != null) {
				String name = next.get$ref().substring(next.get$ref().lastIndexOf('/') + 1);
				if (names.add(name) && schemas.get(name) != null) {
					pending.add(schemas.get(name));
				}
			}
			if (next.getProperties() != null) {
				pending.addAll(next.getProperties().values());
			}
			if (next.getItems() != null) {
				pending.add(next.getItems());
			}
			if (next.getAdditionalProperties() instanceof Schema additional) {
				pending.add(additional);
			}
			for (List<Schema> choices : new List[] { next.getOneOf(), next.getAnyOf(), next.getAllOf() }) {
				if (choices != null) {
					pending.addAll(choices);
				}
			}
			if (next.getPrefixItems() != null) {
				pending.addAll(next.getPrefixItems());
			}
		}
	}

}
