package com.acme.iot.releaseinfo;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * Answers what is running: build metadata from {@code META-INF/build-info.properties} and
 * {@code git.properties} (written by the build, so they cannot drift from the artifact), the Container Apps
 * revision and replica from their environment variables, and the schema from the database itself.
 */
@Service
public class ReleaseInformation {

	static final String UNKNOWN = "unknown";

	private final String version;

	private final String commit;

	private final @Nullable Instant buildTime;

	private final @Nullable String revision;

	private final @Nullable String replica;

	private final String environment;

	private final AppliedMigrations appliedMigrations;

	private final SchemaCompatibility compatibility;

	ReleaseInformation(ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git, Environment environment,
			ReleaseSettings settings, AppliedMigrations appliedMigrations, SchemaCompatibility compatibility) {
		BuildProperties buildProperties = build.getIfAvailable();
		GitProperties gitProperties = git.getIfAvailable();
		this.version = Optional.ofNullable(buildProperties)
			.map(BuildProperties::getVersion)
			.or(() -> Optional.ofNullable(ReleaseInformation.class.getPackage().getImplementationVersion()))
			.orElse(UNKNOWN);
		this.buildTime = (buildProperties != null) ? buildProperties.getTime() : null;
		this.commit = Optional.ofNullable(gitProperties).map(GitProperties::getCommitId).orElse(UNKNOWN);
		this.revision = blankToNull(environment.getProperty("CONTAINER_APP_REVISION"));
		this.replica = blankToNull(environment.getProperty("CONTAINER_APP_REPLICA_NAME"));
		this.environment = settings.environment();
		this.appliedMigrations = appliedMigrations;
		this.compatibility = compatibility;
	}

	/** The release and the schema as the database reports it at this moment. */
	public Release current() {
		return new Release(this.version, this.commit, this.buildTime, this.revision, this.environment, schema());
	}

	/** The Container Apps replica answering, {@code null} outside Container Apps. */
	public Optional<String> replica() {
		return Optional.ofNullable(this.replica);
	}

	private Release.Schema schema() {
		return this.appliedMigrations.versions()
			.map(applied -> new Release.Schema(applied.current(),
					this.compatibility.oldestCompatibleRelease(applied.all()).toString()))
			.orElseGet(() -> new Release.Schema(null, null));
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
