package com.acme.iot.backup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.acme.iot.ExternalTools;

/**
 * Starts the Azurite blob emulator of src/test/tools on a free port before the test class and kills it after
 * (it ignores SIGTERM, so SIGKILL).
 */
final class Azurite implements BeforeAllCallback, AfterAllCallback {

	private static final String ACCOUNT = "devstoreaccount1";

	private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

	private static volatile int port;

	private Process process;

	private Path workspace;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		Path azurite = ExternalTools.require("azurite-blob");
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		this.workspace = Files.createTempDirectory("azurite");
		this.process = new ProcessBuilder(azurite.toString(), "--blobHost", "127.0.0.1", "--blobPort",
				Integer.toString(port), "--inMemoryPersistence", "--skipApiVersionCheck", "--silent")
			.directory(this.workspace.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.workspace.resolve("azurite.log").toFile())
			.start();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (!accepting()) {
			if (!running() || Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("Azurite did not start (" + (running() ? "still starting" : "exited")
						+ " after 60 s): " + Files.readString(this.workspace.resolve("azurite.log")));
			}
			Thread.sleep(200);
		}
	}

	/**
	 * Asks the operating system, not {@link Process#isAlive()}: once, in CI, the JDK reported the freshly started
	 * Azurite as exited within 0.1 s while it went on to listen (and, taken for dead, was never killed).
	 */
	private boolean running() {
		return ProcessHandle.of(this.process.pid()).map(ProcessHandle::isAlive).orElse(false);
	}

	private static boolean accepting() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		if (this.process != null) {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			Optional<ProcessHandle> handle = ProcessHandle.of(this.process.pid());
			handle.ifPresent(ProcessHandle::destroyForcibly);
			handle.ifPresent(azurite -> azurite.onExit().orTimeout(30, TimeUnit.SECONDS).join());
		}
	}

	static String connectionString() {
		return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
				+ ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
	}

}
