package com.acme.iot.platform.web;

import java.text.ParseException;
import java.time.Instant;
import java.util.Locale;

import org.springframework.context.annotation.Configuration;
import org.springframework.format.Formatter;
import org.springframework.format.FormatterRegistry;
import org.springframework.format.datetime.standard.InstantFormatter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Instants in query parameters must lie in years 1 to 9999. {@code java.time} reads years up to ±999,999,999,
 * PostgreSQL stores far fewer, and an instant it refuses failed as a 500 with the SQL in the log; now it is a
 * 400 naming the parameter, before any query runs.
 */
@Configuration(proxyBeanMethods = false)
class InstantParameterConfiguration implements WebMvcConfigurer {

	static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

	@Override
	public void addFormatters(FormatterRegistry registry) {
		registry.addFormatterForFieldType(Instant.class, new BoundedInstantFormatter());
	}

	/** Spring's own instant formats, within PostgreSQL's range. */
	static final class BoundedInstantFormatter implements Formatter<Instant> {

		private final InstantFormatter formats = new InstantFormatter();

		@Override
		public Instant parse(String text, Locale locale) throws ParseException {
			Instant instant = this.formats.parse(text, locale);
			if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
				throw new IllegalArgumentException("outside 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z");
			}
			return instant;
		}

		@Override
		public String print(Instant object, Locale locale) {
			return this.formats.print(object, locale);
		}

	}

}
