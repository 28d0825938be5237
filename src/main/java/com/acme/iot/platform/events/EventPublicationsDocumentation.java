package com.acme.iot.platform.events;

import java.math.BigDecimal;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.springframework.stereotype.Component;

import com.acme.iot.platform.events.EventPublicationsEndpoint.EventPublicationsView;
import com.acme.iot.platform.openapi.ActuatorOperations;
import com.acme.iot.platform.openapi.EndpointDocumentation;

/**
 * Documents {@code /actuator/eventpublications} in the OpenAPI document (springdoc does not describe actuator
 * endpoints): a change of {@link EventPublicationsEndpoint} is made here too, or the tests' response validation
 * fails.
 */
@Component
class EventPublicationsDocumentation implements EndpointDocumentation {

	@Override
	public void document(OpenAPI openApi) {
		Parameter limit = new Parameter().in("query")
			.name("limit")
			.required(false)
			.description("How many of the oldest publications to list")
			.schema(new JsonSchema().types(Set.of("integer"))
				.minimum(BigDecimal.ONE)
				.maximum(BigDecimal.valueOf(EventPublicationsEndpoint.MAX_LIMIT))
				._default(EventPublicationsEndpoint.DEFAULT_LIMIT));
		ActuatorOperations.add(openApi, "/actuator/eventpublications", HttpMethod.GET, ActuatorOperations
			.admin("listIncompleteEventPublications", "Events between modules not yet processed by their listener",
					"Oldest first, with listener, event type, first publication, attempts and the next retry: what "
							+ "the EventPublicationStuck alert is about.")
			.addParametersItem(limit)
			.responses(new ApiResponses()
				.addApiResponse("200", ActuatorOperations.json("The incomplete publications",
						ActuatorOperations.schemaOf(openApi, EventPublicationsView.class)))
				.addApiResponse("400", ActuatorOperations.error("limit is not a whole number from 1 to "
						+ EventPublicationsEndpoint.MAX_LIMIT))
				.addApiResponse("503", ActuatorOperations.error("The database cannot be reached"))));
	}

}
