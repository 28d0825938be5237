package com.acme.iot.platform.openapi;

import io.swagger.v3.oas.models.OpenAPI;

/**
 * Adds to the OpenAPI document the endpoints springdoc cannot see (actuator endpoints); implemented by the module
 * owning them, with the helpers of {@link ActuatorOperations}. Their errors are completed afterwards like those of
 * every controller.
 */
public interface EndpointDocumentation {

	void document(OpenAPI openApi);

}
