package com.acme.iot.platform.persistence;

import java.util.Collection;

/**
 * Lets a module contribute Spring Data JDBC converters for its own value types without owning the JDBC
 * configuration.
 */
public interface JdbcConverters {

	Collection<?> converters();

}
