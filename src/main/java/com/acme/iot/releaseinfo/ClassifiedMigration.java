package com.acme.iot.releaseinfo;

import org.jspecify.annotations.Nullable;

/**
 * A migration with its rollback classification, read from its first line.
 *
 * @param version the Flyway version from the file name, e.g. {@code 202611242000}
 * @param file the file name
 * @param compatibility whether releases older than the migration still work against the migrated schema
 * @param since for a contract migration, the first release that works against it; every older release does not
 */
record ClassifiedMigration(String version, String file, Compatibility compatibility, @Nullable ReleaseVersion since) {

	/** How a migration affects releases that predate it. */
	enum Compatibility {

		/** Adds to the schema: older releases keep working against it. */
		EXPAND,

		/** Removes or changes what older releases rely on: releases before {@code since} break. */
		CONTRACT

	}

}
