package com.acme.iot.platform.persistence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.repository.config.AbstractJdbcConfiguration;

/**
 * Spring Data JDBC set-up: durations stored as whole milliseconds, plus the converters modules contribute.
 */
@Configuration(proxyBeanMethods = false)
class JdbcConfiguration extends AbstractJdbcConfiguration {

	private final ObjectProvider<JdbcConverters> contributions;

	JdbcConfiguration(ObjectProvider<JdbcConverters> contributions) {
		this.contributions = contributions;
	}

	@Override
	protected List<?> userConverters() {
		List<Object> converters = new ArrayList<>(List.of(DurationToMillis.INSTANCE, MillisToDuration.INSTANCE));
		this.contributions.orderedStream().forEach(contribution -> converters.addAll(contribution.converters()));
		return converters;
	}

	@WritingConverter
	enum DurationToMillis implements Converter<Duration, Long> {

		INSTANCE;

		@Override
		public Long convert(Duration source) {
			return source.toMillis();
		}

	}

	@ReadingConverter
	enum MillisToDuration implements Converter<Long, Duration> {

		INSTANCE;

		@Override
		public Duration convert(Long source) {
			return Duration.ofMillis(source);
		}

	}

}
