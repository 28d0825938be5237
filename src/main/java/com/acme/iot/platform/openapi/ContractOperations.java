package com.acme.iot.platform.openapi;

import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Gives each controller operation the security its {@code @PreAuthorize} enforces: none for public ones, the
 * device token where devices may call, and the role in the description, so the document cannot drift from
 * the authorization rules.
 */
@Component
class ContractOperations implements OperationCustomizer {

	@Override
	public Operation customize(Operation operation, HandlerMethod handler) {
		PreAuthorize rule = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), PreAuthorize.class);
		if (rule == null) {
			rule = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), PreAuthorize.class);
		}
		String expression = rule == null ? "permitAll()" : rule.value();
		List<SecurityRequirement> security = new ArrayList<>();
		String who;
		if (expression.contains("permitAll")) {
			who = "Public: no credentials needed.";
		}
		else {
			if (expression.contains("'DEVICE'")) {
				security.add(new SecurityRequirement().addList(OpenApiConfiguration.DEVICE_TOKEN));
			}
			security.add(new SecurityRequirement().addList(OpenApiConfiguration.API_TOKEN));
			security.add(new SecurityRequirement().addList(OpenApiConfiguration.OAUTH2_JWT));
			who = "Needs role " + roles(expression) + ".";
		}
		operation.setSecurity(security);
		String description = operation.getDescription();
		operation.setDescription(description == null ? who : description + "\n\n" + who);
		return operation;
	}

	private static String roles(String expression) {
		List<String> roles = new ArrayList<>();
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("'([A-Z]+)'").matcher(expression);
		while (matcher.find()) {
			roles.add(matcher.group(1).equals("DEVICE") ? "a device token of this sensor" : matcher.group(1));
		}
		return String.join(" or ", roles);
	}

}
