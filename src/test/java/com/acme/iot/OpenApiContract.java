package com.acme.iot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks HTTP responses against the OpenAPI 3.1 document the service serves, so that no test passes while the
 * service and its contract disagree: the operation and its status are documented, the content type is one the
 * status documents, and the body is valid against the schema (JSON Schema 2020-12 with the OpenAPI 3.1 dialect,
 * formats such as {@code date-time} and {@code uuid} asserted). It knows nothing of the client that made the
 * request: {@link ApiClient} calls it for every response, any other test client can too.
 */
public final class OpenApiContract {

	private static final String DOCUMENT = "https://iot-api.example.com/openapi.json";

	/**
	 * Addresses that are not part of the contract: Prometheus' text scrape, actuator's metrics and module views,
	 * and the Swagger UI pages, all in formats of their own.
	 */
	private static final List<String> OUTSIDE = List.of("/actuator/prometheus", "/actuator/metrics",
			"/actuator/modulith", "/swagger-ui", "/v3/api-docs/", "/v3/api-docs.yaml");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JsonNode document;

	private final SchemaRegistry schemas;

	private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

	private OpenApiContract(JsonNode document) {
		this.document = document;
		String text = JSON.writeValueAsString(document);
		this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
			.schemas(Map.of(DOCUMENT, text))
			.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
	}

	public static OpenApiContract of(JsonNode document) {
		return new OpenApiContract(document);
	}

	public JsonNode document() {
		return this.document;
	}

	/** Fails with every disagreement between the response and the contract. */
	public void check(String method, String target, int status, @Nullable String contentType, String body) {
		List<String> violations = violations(method, target, status, contentType, body);
		if (!violations.isEmpty()) {
			throw new AssertionError("The response disagrees with the OpenAPI document: " + method + " " + target
					+ " -> " + status + " " + abbreviate(body) + "\n  - " + String.join("\n  - ", violations));
		}
	}

	/** What disagrees with the contract in this response; empty when nothing does. */
	public List<String> violations(String method, String target, int status, @Nullable String contentType,
			String body) {
		String path = target.replaceFirst("[?#].*$", "");
		String verb = method.toLowerCase(Locale.ROOT);
		if (verb.equals("options") || verb.equals("head") || OUTSIDE.stream().anyMatch(path::startsWith)) {
			return List.of();
		}
		String template = template(path);
		JsonNode operation = template == null ? null : this.document.path("paths").path(template).get(verb);
		if (operation == null) {
			return unknown(template, status, contentType, body);
		}
		String pointer = "/paths/" + escape(template) + "/" + verb + "/responses/" + status;
		JsonNode response = operation.path("responses").get(String.valueOf(status));
		if (response == null) {
			return List.of("status " + status + " is not documented for " + method + " " + template + " (documented: "
					+ operation.path("responses").propertyNames() + ")");
		}
		String ref = response.path("$ref").stringValue(null);
		if (ref != null) {
			pointer = ref.substring(1);
			response = this.document.at(pointer);
		}
		return checkContent(response.path("content"), pointer + "/content", contentType, body);
	}

	private List<String> checkContent(JsonNode content, String pointer, @Nullable String contentType, String body) {
		if (content.isMissingNode() || content.isEmpty()) {
			return body.isEmpty() ? List.of() : List.of("a body was sent where none is documented: " + abbreviate(body));
		}
		String media = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
		if (!content.has(media)) {
			return List.of("content type '" + contentType + "' is not documented (documented: " + content.propertyNames()
					+ ")");
		}
		if (media.equals("text/event-stream")) {
			return List.of();
		}
		return validate(pointer + "/" + escape(media) + "/schema", body);
	}

	private List<String> validate(String pointer, String body) {
		JsonNode instance;
		try {
			instance = JSON.readTree(body);
		}
		catch (RuntimeException ex) {
			return List.of("the body is not JSON: " + abbreviate(body));
		}
		Schema schema = this.compiled.computeIfAbsent(pointer,
				location -> this.schemas.getSchema(SchemaLocation.of(DOCUMENT + "#" + location)));
		List<String> violations = new ArrayList<>();
		for (Error error : schema.validate(instance)) {
			violations.add(error.getInstanceLocation() + ": " + error.getMessage());
		}
		return violations;
	}

	/** A request to an address or method the document does not have must be refused with a problem. */
	private List<String> unknown(@Nullable String template, int status, @Nullable String contentType, String body) {
		Set<Integer> allowed = template == null ? Set.of(400, 401, 403, 404) : Set.of(400, 401, 403, 405);
		if (!allowed.contains(status)) {
			return List.of((template == null ? "the address is not documented" : "the method is not documented for "
					+ template) + ", and the status " + status + " is not one of " + allowed);
		}
		String media = contentType == null ? "" : contentType.split(";")[0].trim();
		if (!media.equals("application/problem+json")) {
			return List.of("an error answered as '" + contentType + "' instead of application/problem+json");
		}
		return validate("/components/schemas/Problem", body);
	}

	/** The document's path template matching this path, literal segments winning over parameters. */
	@Nullable String template(String path) {
		String[] segments = path.split("/", -1);
		String best = null;
		int bestLiterals = -1;
		for (String candidate : this.document.path("paths").propertyNames()) {
			String[] parts = candidate.split("/", -1);
			if (parts.length != segments.length) {
				continue;
			}
			int literals = 0;
			boolean matches = true;
			for (int i = 0; i < parts.length && matches; i++) {
				if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
					matches = !segments[i].isEmpty();
				}
				else {
					matches = parts[i].equals(segments[i]);
					literals++;
				}
			}
			if (matches && literals > bestLiterals) {
				best = candidate;
				bestLiterals = literals;
			}
		}
		return best;
	}

	private static String escape(String token) {
		return token.replace("~", "~0").replace("/", "~1");
	}

	private static String abbreviate(String body) {
		return body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}

}
