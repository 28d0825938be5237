package com.acme.iot.platform.openapi;

import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Makes the schemas say what the JSON is: a record component is {@code required} unless it is left out when
 * empty ({@code @JsonInclude}), a {@code @Nullable} one may be {@code null} ({@code type: [..., "null"]}),
 * durations are ISO 8601 strings and Jackson trees JSON objects.
 */
@Component
class ContractModelConverter implements ModelConverter {

	private static final Set<Class<? extends Annotation>> NOT_NULL = Set.of(NotNull.class, NotBlank.class,
			NotEmpty.class);

	@Override
	public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
		Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
		if (raw == Duration.class) {
			// No format "duration": JSON Schema's (RFC 3339) has no fractions of a second, ISO 8601 and Java do.
			return new JsonSchema().types(Set.of("string"))
				.description("An ISO 8601 duration, e.g. PT10M or PT1.5S")
				.example("PT10M");
		}
		if (tools.jackson.databind.JsonNode.class.isAssignableFrom(raw)) {
			return new JsonSchema().types(Set.of("object"));
		}
		if (!chain.hasNext()) {
			return null;
		}
		Schema resolved = chain.next().resolve(type, context, chain);
		if (resolved != null && raw.isRecord()) {
			Schema model = resolved.get$ref() == null ? resolved
					: context.getDefinedModels().get(resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1));
			if (model != null && model.getProperties() != null) {
				describeMembers(raw, model);
			}
		}
		return resolved;
	}

	@SuppressWarnings("unchecked")
	private static void describeMembers(Class<?> record, Schema model) {
		Map<String, Schema> properties = model.getProperties();
		Set<String> required = new LinkedHashSet<>(model.getRequired() == null ? List.of() : model.getRequired());
		for (RecordComponent component : record.getRecordComponents()) {
			Schema property = properties.get(component.getName());
			if (property == null) {
				continue;
			}
			boolean notNull = NOT_NULL.stream().anyMatch(component.getAccessor()::isAnnotationPresent)
					|| requiredBySchema(component);
			boolean nullable = !notNull && component.getAnnotatedType().isAnnotationPresent(Nullable.class);
			JsonInclude.Include include = inclusion(record, component);
			boolean omittedWhenNull = include == JsonInclude.Include.NON_NULL || include == JsonInclude.Include.NON_ABSENT;
			boolean omittedWhenEmpty = include == JsonInclude.Include.NON_EMPTY
					|| include == JsonInclude.Include.NON_DEFAULT;
			if (notNull || (!omittedWhenEmpty && !(omittedWhenNull && nullable))) {
				required.add(component.getName());
			}
			if (nullable && !omittedWhenNull && !omittedWhenEmpty) {
				properties.put(component.getName(), nullable(property));
			}
		}
		model.setRequired(new ArrayList<>(required));
	}

	private static boolean requiredBySchema(RecordComponent component) {
		io.swagger.v3.oas.annotations.media.Schema schema = component.getAccessor()
			.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
		return schema != null && schema.requiredMode() == io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;
	}

	private static JsonInclude.@Nullable Include inclusion(Class<?> record, RecordComponent component) {
		JsonInclude include = component.getAccessor().getAnnotation(JsonInclude.class);
		if (include == null) {
			include = record.getAnnotation(JsonInclude.class);
		}
		return include == null ? null : include.value();
	}

	/** The same schema, {@code null} allowed: a second type, or a choice with null for references and enums. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static Schema nullable(Schema property) {
		if (property.get$ref() != null || property.getEnum() != null || property.getTypes() == null) {
			Schema choice = new JsonSchema().oneOf(List.of(property, new JsonSchema().types(Set.of("null"))));
			if (property.getDescription() != null) {
				choice.setDescription(property.getDescription());
				property.setDescription(null);
			}
			return choice;
		}
		Set<String> types = new LinkedHashSet<>(property.getTypes());
		types.add("null");
		property.setTypes(types);
		return property;
	}

}
