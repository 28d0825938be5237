package com.acme.iot.platform.openapi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Describes the API for {@code /v3/api-docs}, the contract the mobile app generates its client from: the
 * security schemes, the one problem+json schema and the error responses every operation shares.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String API_TOKEN = "apiToken";

	static final String DEVICE_TOKEN = "deviceToken";

	static final String OAUTH2_JWT = "oauth2Jwt";

	static final String PROBLEM = "Problem";

	static final String PROBLEM_JSON = "application/problem+json";

	/** The shared error responses, by status; their descriptions say when each one happens. */
	static final Map<String, String> ERRORS = new TreeMap<>(Map.ofEntries(
			Map.entry("400", "Malformed request: a path or query parameter is invalid, the query string cannot be "
					+ "decoded, or the body is not JSON of the expected shape and types (errors names each field)"),
			Map.entry("401", "No credentials where they are needed, or a token that is invalid, expired or revoked "
					+ "(public operations refuse invalid tokens too)"),
			Map.entry("403", "The credentials do not allow this operation"),
			Map.entry("404", "Nothing exists with this id"),
			Map.entry("406", "The Accept header excludes what this operation answers"),
			Map.entry("413", "The request body is larger than this operation accepts"),
			Map.entry("415", "The Content-Type is not one this operation accepts"),
			Map.entry("422", "The body is well-formed but breaks a rule (errors names each field)"),
			Map.entry("429", "Too many requests with invalid credentials came from this address; retry after Retry-After"),
			Map.entry("500", "An error on the service's side; it has been logged"),
			Map.entry("503", "The database cannot be reached, or the service is in maintenance (writes only); retry "
					+ "after Retry-After")));

	@Bean
	OpenAPI iotOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		Components components = new Components()
			.addSecuritySchemes(API_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("API token (iot_…) with role READER, OPERATOR or ADMIN"))
			.addSecuritySchemes(DEVICE_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("Device token (dev_…) of one sensor: may only post that sensor's readings"))
			.addSecuritySchemes(OAUTH2_JWT, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.bearerFormat("JWT")
				.description("OAuth2 access token (e.g. Microsoft Entra ID) whose role claim names the role"))
			.addSchemas(PROBLEM, problemSchema())
			.addSchemas("FieldError", fieldErrorSchema());
		ERRORS.forEach((status, description) -> components.addResponses(responseName(status), error(status, description)));
		return new OpenAPI()
			.info(new Info().title("IoT sensor API")
				.version(properties != null ? properties.getVersion() : "dev")
				.description(DESCRIPTION)
				.contact(new Contact().name("IoT platform team").url("https://github.com/acme/iot-api"))
				.license(new License().name("Proprietary").url("https://github.com/acme/iot-api")))
			// Without a server of its own, the document would name whatever Host or X-Forwarded-Host the request
			// carried. "/" is relative to where the document was fetched from, so it is right behind any ingress.
			.servers(List.of(new Server().url("/").description("This deployment")))
			.components(components);
	}

	private static final String DESCRIPTION = """
			Supervises environmental sensors for the mobile app and its operators.

			- Times are RFC 3339 date-times with seconds, e.g. `2026-11-24T10:00:00Z`; aggregate bucket starts carry \
			the requested zone's offset, e.g. `2026-11-26T00:00:00+01:00`. Durations are ISO 8601 (`PT10M`).
			- Every error is RFC 9457 `application/problem+json` with `type`, `title`, `status`, `detail` and, when \
			fields are wrong, `errors[]` naming each one (`index` locates an item of a batch).
			- 400 means the request cannot be used as sent: any invalid path or query parameter (an unknown enum \
			value included), or a body that is not JSON of the expected shape and types. 422 means a well-formed \
			body breaks a rule.
			- An unknown address answers 404 and a method an address does not support 405 (with `Allow`), both \
			problem+json too.
			- Lists are paged with `page` (from 0) and `size`; reading history with an opaque `cursor`.
			- Merge patches follow RFC 7396 (`application/merge-patch+json`): a member set to null is removed.""";

	static String responseName(String status) {
		return "Error" + status;
	}

	private static ApiResponse error(String status, String description) {
		ApiResponse response = new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON,
					new MediaType().schema(new JsonSchema().$ref("#/components/schemas/" + PROBLEM))));
		if (status.equals("429") || status.equals("503")) {
			response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
				.schema(new JsonSchema().types(Set.of("integer")).minimum(java.math.BigDecimal.ONE)));
		}
		if (status.equals("401") || status.equals("403")) {
			response.addHeaderObject("WWW-Authenticate",
					new Header().description("The RFC 6750 bearer challenge").schema(string(null)));
		}
		return response;
	}

	private static Schema<?> problemSchema() {
		Schema<?> schema = new JsonSchema().types(Set.of("object"))
			.description("An RFC 9457 problem: every error of this API has this shape")
			.required(List.of("type", "title", "status", "detail"))
			.addProperty("type", string("uri").description("What kind of problem; a stable URI to branch on"))
			.addProperty("title", string(null).description("Short summary of the kind of problem"))
			.addProperty("status", new JsonSchema().types(Set.of("integer"))
				.format("int32")
				.minimum(java.math.BigDecimal.valueOf(400))
				.maximum(java.math.BigDecimal.valueOf(599))
				.description("The HTTP status"))
			.addProperty("detail", string(null).description("What happened to this request, for people"))
			.addProperty("instance", string("uri-reference").description("The address of the request"))
			.addProperty("errors", new JsonSchema().types(Set.of("array"))
				.items(new JsonSchema().$ref("#/components/schemas/FieldError"))
				.description("One entry per wrong field"));
		schema.setAdditionalProperties(Boolean.FALSE);
		return schema;
	}

	private static Schema<?> fieldErrorSchema() {
		Schema<?> schema = new JsonSchema().types(Set.of("object"))
			.description("One wrong field: which one (and, in a batch, which item) and what is wrong")
			.required(List.of("field", "message"))
			.addProperty("field", string(null).description("Dotted path of the field, e.g. location.latitude; $ for "
					+ "the whole body"))
			.addProperty("message", string(null).description("What is wrong, in words a developer can act on"))
			.addProperty("index", new JsonSchema().types(Set.of("integer"))
				.format("int32")
				.minimum(java.math.BigDecimal.ZERO)
				.description("Position of the item in a batch; absent for a single object"));
		schema.setAdditionalProperties(Boolean.FALSE);
		return schema;
	}

	static Schema<?> string(@org.jspecify.annotations.Nullable String format) {
		Schema<?> schema = new JsonSchema().types(Set.of("string"));
		if (format != null) {
			schema.format(format);
		}
		return schema;
	}

}
