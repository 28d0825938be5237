package com.acme.iot.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.azure.core.util.BinaryData;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlockBlobOutputStreamOptions;
import com.azure.storage.blob.specialized.BlobOutputStream;

import org.springframework.util.StringUtils;

/**
 * Dumps in an Azure Blob Storage container. A dump is a block blob whose blocks are staged while pg_dump
 * streams and committed only when the dump completes, so an interrupted upload is never a visible blob.
 */
class AzureBackupStore implements BackupStore {

	private static final String DUMP = ".dump";

	private static final String MANIFEST = ".manifest.json";

	private final BlobContainerClient container;

	private final BackupSettings.Azure settings;

	AzureBackupStore(BackupSettings.Azure settings) {
		this.settings = settings;
		this.container = client(settings);
	}

	private static BlobContainerClient client(BackupSettings.Azure settings) {
		BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
		if (StringUtils.hasText(settings.connectionString())) {
			builder.connectionString(settings.connectionString());
		}
		else if (settings.endpoint() != null) {
			builder.endpoint(settings.endpoint().toString());
			if (StringUtils.hasText(settings.sasToken())) {
				builder.sasToken(settings.sasToken());
			}
			else {
				builder.credential(new DefaultAzureCredentialBuilder().build());
			}
		}
		else {
			throw new BackupException("configuration",
					"iot.backup.store=azure needs iot.backup.azure.connection-string or iot.backup.azure.endpoint");
		}
		return builder.buildClient().getBlobContainerClient(settings.container());
	}

	@Override
	public String describe() {
		return "azure " + this.container.getBlobContainerUrl();
	}

	private void ensureContainer() {
		try {
			this.container.createIfNotExists();
		}
		catch (BlobStorageException ex) {
			// a SAS or role scoped to the container may not create it: then it must already exist
			if (ex.getStatusCode() != 403) {
				throw ex;
			}
		}
	}

	@Override
	public Upload upload(BackupId id) throws IOException {
		long blockSize = this.settings.blockSize().toBytes();
		BlobOutputStream blob;
		try {
			ensureContainer();
			blob = this.container.getBlobClient(id + DUMP)
				.getBlockBlobClient()
				.getBlobOutputStream(new BlockBlobOutputStreamOptions().setParallelTransferOptions(new ParallelTransferOptions()
					.setBlockSizeLong(blockSize)
					.setMaxSingleUploadSizeLong(blockSize)
					.setMaxConcurrency(this.settings.maxConcurrency())));
		}
		catch (RuntimeException ex) {
			throw StoreFailureOutputStream.storeFailure(ex);
		}
		OutputStream stream = new StoreFailureOutputStream(blob);
		return new Upload() {

			@Override
			public OutputStream stream() {
				return stream;
			}

			@Override
			public void commit() throws IOException {
				// closing flushes the last block and commits the block list
				stream.close();
			}

			@Override
			public void abort() {
				// the staged blocks are never committed; the service discards them after a week
			}

		};
	}

	@Override
	public InputStream openDump(BackupId id) throws IOException {
		try {
			return this.container.getBlobClient(id + DUMP).openInputStream();
		}
		catch (BlobStorageException ex) {
			throw new IOException("Cannot read dump " + id + ": " + ex.getErrorCode(), ex);
		}
		catch (RuntimeException ex) {
			throw StoreFailureOutputStream.storeFailure(ex);
		}
	}

	@Override
	public Optional<Path> localDump(BackupId id) {
		return Optional.empty();
	}

	@Override
	public void writeManifest(BackupId id, byte[] json) throws IOException {
		try {
			this.container.getBlobClient(id + MANIFEST).upload(BinaryData.fromBytes(json), true);
		}
		catch (RuntimeException ex) {
			throw StoreFailureOutputStream.storeFailure(ex);
		}
	}

	@Override
	public Optional<byte[]> readManifest(BackupId id) throws IOException {
		BlobClient blob = this.container.getBlobClient(id + MANIFEST);
		try {
			return Optional.of(blob.downloadContent().toBytes());
		}
		catch (BlobStorageException ex) {
			if (ex.getStatusCode() == 404) {
				return Optional.empty();
			}
			throw new IOException("Cannot read manifest " + id + ": " + ex.getErrorCode(), ex);
		}
		catch (RuntimeException ex) {
			throw StoreFailureOutputStream.storeFailure(ex);
		}
	}

	@Override
	public List<BackupId> manifests() throws IOException {
		List<String> names = call(this::names);
		List<BackupId> ids = new ArrayList<>();
		for (String name : names) {
			if (name.endsWith(MANIFEST)) {
				String id = name.substring(0, name.length() - MANIFEST.length());
				if (BackupId.isValid(id) && names.contains(id + DUMP)) {
					ids.add(new BackupId(id));
				}
			}
		}
		return ids;
	}

	@Override
	public List<StoredDump> dumps() throws IOException {
		return call(() -> {
			if (!this.container.exists()) {
				return List.of();
			}
			List<StoredDump> dumps = new ArrayList<>();
			for (BlobItem blob : this.container.listBlobs()) {
				if (blob.getName().endsWith(DUMP)) {
					dumps.add(new StoredDump(blob.getName(), blob.getProperties().getLastModified().toInstant()));
				}
			}
			return dumps;
		});
	}

	private List<String> names() {
		if (!this.container.exists()) {
			return List.of();
		}
		return this.container.listBlobs(new ListBlobsOptions(), null).stream().map(BlobItem::getName).toList();
	}

	@Override
	public void delete(BackupId id) throws IOException {
		call(() -> {
			this.container.getBlobClient(id + MANIFEST).deleteIfExists();
			return this.container.getBlobClient(id + DUMP).deleteIfExists();
		});
	}

	@Override
	public void deleteDump(StoredDump dump) throws IOException {
		call(() -> this.container.getBlobClient(dump.name()).deleteIfExists());
	}

	/** Runs a request of the SDK, whose transport failures are unchecked, as a store request. */
	private static <T> T call(Supplier<T> request) throws IOException {
		try {
			return request.get();
		}
		catch (RuntimeException ex) {
			throw StoreFailureOutputStream.storeFailure(ex);
		}
	}

	/**
	 * The Azure SDK reports an unreachable or failing blob service with unchecked exceptions whose message
	 * ("Faulted stream due to underlying sink write failure") hides the cause: they become the store's
	 * {@link IOException} naming the root cause, so the backup fails with reason {@code store}.
	 */
	static final class StoreFailureOutputStream extends FilterOutputStream {

		StoreFailureOutputStream(OutputStream out) {
			super(out);
		}

		/** Names the deepest cause that has a message: the SDK often ends the chain with a bare wrapper. */
		static IOException storeFailure(RuntimeException ex) {
			Throwable described = ex;
			for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
				if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
					described = cause;
				}
			}
			return new IOException("blob store request failed: " + described, ex);
		}

		@Override
		public void write(int b) throws IOException {
			try {
				this.out.write(b);
			}
			catch (RuntimeException ex) {
				throw storeFailure(ex);
			}
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			try {
				this.out.write(b, off, len);
			}
			catch (RuntimeException ex) {
				throw storeFailure(ex);
			}
		}

		@Override
		public void flush() throws IOException {
			try {
				this.out.flush();
			}
			catch (RuntimeException ex) {
				throw storeFailure(ex);
			}
		}

		@Override
		public void close() throws IOException {
			try {
				this.out.close();
			}
			catch (RuntimeException ex) {
				throw storeFailure(ex);
			}
		}

	}

}
