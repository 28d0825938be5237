package com.acme.iot.sensors;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.postgresql.util.PGobject;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.persistence.JdbcConverters;

/**
 * Stores {@link Labels} as a JSONB object.
 */
@Component
class SensorJdbcConverters implements JdbcConverters {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
	};

	@Override
	public Collection<?> converters() {
		return List.of(LabelsToJsonb.INSTANCE, JsonbToLabels.INSTANCE);
	}

	@WritingConverter
	enum LabelsToJsonb implements Converter<Labels, PGobject> {

		INSTANCE;

		@Override
		public PGobject convert(Labels source) {
			PGobject json = new PGobject();
			json.setType("jsonb");
			try {
				json.setValue(JSON.writeValueAsString(source.values()));
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			return json;
		}

	}

	@ReadingConverter
	enum JsonbToLabels implements Converter<PGobject, Labels> {

		INSTANCE;

		@Override
		public Labels convert(PGobject source) {
			String value = source.getValue();
			return value == null ? Labels.NONE : new Labels(JSON.readValue(value, MAP));
		}

	}

}
