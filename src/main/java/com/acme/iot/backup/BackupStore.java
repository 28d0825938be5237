package com.acme.iot.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where dumps and their manifests live. A dump becomes visible under its final name only once complete; a
 * backup is listed only once its manifest exists.
 */
interface BackupStore {

	String describe();

	/** Starts writing a dump; nothing is visible under the final name until {@link Upload#commit()}. */
	Upload upload(BackupId id) throws IOException;

	InputStream openDump(BackupId id) throws IOException;

	/** The dump as a local file, when the store has one (lets pg_restore seek instead of reading a pipe). */
	Optional<Path> localDump(BackupId id);

	void writeManifest(BackupId id, byte[] json) throws IOException;

	Optional<byte[]> readManifest(BackupId id) throws IOException;

	/** Ids of complete backups (those with a manifest). */
	List<BackupId> manifests() throws IOException;

	/** Every dump, complete or not, with its last modification. */
	List<StoredDump> dumps() throws IOException;

	void delete(BackupId id) throws IOException;

	/** Deletes a dump left without a manifest. */
	void deleteDump(StoredDump dump) throws IOException;

	/** A dump being written. */
	interface Upload {

		OutputStream stream();

		/** Makes the dump visible under its final name. */
		void commit() throws IOException;

		/** Discards what was written; never throws. */
		void abort();

	}

	/** A dump object of the store, named by the id it was written for. */
	record StoredDump(String name, Instant lastModified) {
	}

}
