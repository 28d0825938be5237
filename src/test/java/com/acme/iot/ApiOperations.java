package com.acme.iot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;

/**
 * Every HTTP operation the service exposes, read from its own OpenAPI document and actuator endpoint
 * registry, so tests that sweep the API cannot forget an endpoint added later.
 */
public final class ApiOperations {

	private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

	private ApiOperations() {
	}

	/**
	 * One operation: method, path template ({@code /api/sensors/{id}}), declared query parameters, whether it
	 * takes a JSON body (and that body's schema), whether it streams server-sent events.
	 */
	public record Operation(String method, String path, List<String> queryParameters, boolean jsonBody,
			@Nullable JsonNode bodySchema, boolean actuator) {

		public boolean streams() {
			return this.path.endsWith("/stream");
		}

		@Override
		public String toString() {
			return this.method + " " + this.path;
		}

	}

	public static List<Operation> discover(ApiClient admin, WebEndpointsSupplier actuatorEndpoints) {
		ApiClient.Response docs = admin.get("/v3/api-docs");
		if (docs.status() != 200) {
			throw new IllegalStateException("No OpenAPI document: " + docs);
		}
		JsonNode openApi = docs.json();
		JsonNode schemas = openApi.path("components").path("schemas");
		List<Operation> operations = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : openApi.get("paths").properties()) {
			for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
				if (!METHODS.contains(entry.getKey())) {
					continue;
				}
				JsonNode operation = entry.getValue();
				List<String> query = new ArrayList<>();
				operation.path("parameters").valueStream()
					.filter(parameter -> "query".equals(parameter.path("in").stringValue(null)))
					.forEach(parameter -> query.add(parameter.get("name").stringValue()));
				JsonNode body = operation.path("requestBody").path("content");
				JsonNode schema = null;
				boolean json = false;
				for (Map.Entry<String, JsonNode> content : body.properties()) {
					if (content.getKey().contains("json")) {
						json = true;
						schema = resolve(content.getValue().path("schema"), schemas);
					}
				}
				operations.add(new Operation(entry.getKey().toUpperCase(Locale.ROOT), path.getKey(), query, json,
						schema, path.getKey().startsWith("/actuator/")));
			}
		}
		actuatorEndpoints.getEndpoints().forEach(endpoint -> endpoint.getOperations().forEach(operation -> {
			var predicate = operation.getRequestPredicate();
			String template = "/actuator/" + predicate.getPath().replaceAll("\\{\\*?([^}]+)}", "{$1}");
			boolean json = !predicate.getHttpMethod().name().equals("GET")
					&& !predicate.getHttpMethod().name().equals("DELETE");
			operations.add(new Operation(predicate.getHttpMethod().name(), template, List.of(), json, null, true));
		}));
		return dedupe(operations);
	}

	private static List<Operation> dedupe(List<Operation> operations) {
		Map<String, Operation> unique = new LinkedHashMap<>();
		operations.forEach(operation -> unique.putIfAbsent(operation.toString(), operation));
		return List.copyOf(unique.values());
	}

	private static @Nullable JsonNode resolve(JsonNode schema, JsonNode schemas) {
		String ref = schema.path("$ref").stringValue(null);
		if (ref != null) {
			return schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
		}
		return schema.isMissingNode() ? null : schema;
	}

	/** The path with every template variable replaced by {@code value}. */
	public static String fill(String template, String value) {
		return template.replaceAll("\\{[^}]+}", value);
	}

}
