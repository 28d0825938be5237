package com.acme.iot.platform.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Describes the API and its security schemes for {@code /v3/api-docs} and Swagger UI.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String API_TOKEN = "apiToken";

	static final String DEVICE_TOKEN = "deviceToken";

	static final String OAUTH2_JWT = "oauth2Jwt";

	@Bean
	OpenAPI iotOpenApi(ObjectProvider<BuildProperties> build) {
		String version = build.getIfAvailable() != null ? build.getIfAvailable().getVersion() : "dev";
		return new OpenAPI()
			.info(new Info().title("IoT sensor API")
				.version(version)
				.description("Supervises environmental sensors for the mobile app. Errors are RFC 9457 "
						+ "application/problem+json; times are ISO-8601 UTC instants, durations ISO-8601."))
			.components(new Components()
				.addSecuritySchemes(API_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description("API token (iot_…) with role READER, OPERATOR or ADMIN"))
				.addSecuritySchemes(DEVICE_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description("Device token (dev_…) of one sensor: may only post that sensor's readings"))
				.addSecuritySchemes(OAUTH2_JWT, new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.bearerFormat("JWT")
					.description("OAuth2 access token (e.g. Microsoft Entra ID) whose role claim names the role")))
			// Without a server of its own, the document would name whatever Host or X-Forwarded-Host the request
			// carried. "/" is relative to where the document was fetched from, so it is right behind any ingress.
			.addServersItem(new Server().url("/").description("This deployment"))
			.addSecurityItem(new SecurityRequirement().addList(API_TOKEN))
			.addSecurityItem(new SecurityRequirement().addList(OAUTH2_JWT));
	}

}
