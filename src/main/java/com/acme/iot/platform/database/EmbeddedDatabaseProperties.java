package com.acme.iot.platform.database;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded PostgreSQL that runs when no {@code spring.datasource.url} is configured.
 *
 * @param dataDirectory where the cluster lives; it survives restarts
 * @param port TCP port on 127.0.0.1, {@code 0} for any free port
 * @param ephemeral start from an empty temporary cluster and delete it on shutdown (tests)
 * @param database name of the application database created inside the cluster
 * @param startupTimeout how long to wait for the server to accept connections
 */
@ConfigurationProperties("iot.database.embedded")
public record EmbeddedDatabaseProperties(@DefaultValue("./data/postgres") Path dataDirectory,
		@DefaultValue("0") int port, @DefaultValue("false") boolean ephemeral, @DefaultValue("iot") String database,
		@DefaultValue("60s") Duration startupTimeout) {
}
