package com.acme.iot.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Dumps in a local folder: written as {@code <id>.dump.partial}, renamed atomically to {@code <id>.dump} once
 * complete, then {@code <id>.json} (the manifest) the same way.
 */
class FilesystemBackupStore implements BackupStore {

	private final Path directory;

	FilesystemBackupStore(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
	}

	@Override
	public String describe() {
		return "filesystem " + this.directory;
	}

	private Path dump(BackupId id) {
		return this.directory.resolve(id + ".dump");
	}

	private Path manifest(BackupId id) {
		return this.directory.resolve(id + ".json");
	}

	@Override
	public Upload upload(BackupId id) throws IOException {
		Files.createDirectories(this.directory);
		Path partial = this.directory.resolve(id + ".dump.partial");
		OutputStream stream = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20);
		return new Upload() {

			@Override
			public OutputStream stream() {
				return stream;
			}

			@Override
			public void commit() throws IOException {
				stream.close();
				move(partial, dump(id));
			}

			@Override
			public void abort() {
				try {
					stream.close();
				}
				catch (IOException ex) {
					// closing is best effort: the file is deleted next
				}
				try {
					Files.deleteIfExists(partial);
				}
				catch (IOException ex) {
					// left for the orphan clean-up of retention
				}
			}

		};
	}

	private static void move(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	@Override
	public InputStream openDump(BackupId id) throws IOException {
		return Files.newInputStream(dump(id));
	}

	@Override
	public Optional<Path> localDump(BackupId id) {
		return Optional.of(dump(id)).filter(Files::isRegularFile);
	}

	@Override
	public void writeManifest(BackupId id, byte[] json) throws IOException {
		Path partial = this.directory.resolve(id + ".json.partial");
		Files.write(partial, json);
		move(partial, manifest(id));
	}

	@Override
	public Optional<byte[]> readManifest(BackupId id) throws IOException {
		Path manifest = manifest(id);
		return Files.isRegularFile(manifest) ? Optional.of(Files.readAllBytes(manifest)) : Optional.empty();
	}

	@Override
	public List<BackupId> manifests() throws IOException {
		List<BackupId> ids = new ArrayList<>();
		for (Path file : files()) {
			String name = file.getFileName().toString();
			if (name.endsWith(".json")) {
				String id = name.substring(0, name.length() - ".json".length());
				if (BackupId.isValid(id) && Files.isRegularFile(dump(new BackupId(id)))) {
					ids.add(new BackupId(id));
				}
			}
		}
		return ids;
	}

	@Override
	public List<StoredDump> dumps() throws IOException {
		List<StoredDump> dumps = new ArrayList<>();
		for (Path file : files()) {
			String name = file.getFileName().toString();
			if (name.endsWith(".dump") || name.endsWith(".partial")) {
				dumps.add(new StoredDump(name, Files.getLastModifiedTime(file).toInstant()));
			}
		}
		return dumps;
	}

	private List<Path> files() throws IOException {
		if (!Files.isDirectory(this.directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.filter(Files::isRegularFile).toList();
		}
	}

	@Override
	public void delete(BackupId id) throws IOException {
		Files.deleteIfExists(manifest(id));
		Files.deleteIfExists(dump(id));
		Files.deleteIfExists(this.directory.resolve(id + ".dump.partial"));
	}

	@Override
	public void deleteDump(StoredDump dump) throws IOException {
		Files.deleteIfExists(this.directory.resolve(dump.name()));
	}

}
