package com.acme.iot.releaseinfo;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What is running and against which schema; the body of {@code GET /api/release}.
 *
 * @param version the project version from the build
 * @param commit the full git commit id of the build, {@code unknown} when built outside a git checkout
 * @param buildTime when the artifact was built
 * @param revision the Azure Container Apps revision, {@code null} elsewhere
 * @param environment the deployment's name from {@code iot.release.environment}
 * @param schema the database schema as it is now
 */
public record Release(String version, String commit, @Nullable Instant buildTime, @Nullable String revision,
		String environment, Schema schema) {

	/**
	 * @param version the newest applied Flyway migration, {@code null} when the database cannot be asked
	 * @param oldestCompatibleRelease the oldest release that can run against this schema: rolling back further
	 * needs a restore; {@code null} when the database cannot be asked
	 */
	@io.swagger.v3.oas.annotations.media.Schema(name = "ReleaseSchema")
	public record Schema(@Nullable String version, @Nullable String oldestCompatibleRelease) {
	}

}
