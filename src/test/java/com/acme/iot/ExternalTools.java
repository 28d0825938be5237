package com.acme.iot;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Finds the command-line tools some tests drive for real (pg_dump, shellcheck, promtool, Azurite…). On a
 * developer machine a missing tool skips the test with the command that installs it; in CI ({@code CI=true})
 * it fails, because {@code .ci/run} installs every one of them.
 */
public final class ExternalTools {

	/** Node tools installed by the build into src/test/tools/node_modules. */
	public static final Path NODE_BIN = Path.of("src/test/tools/node_modules/.bin").toAbsolutePath();

	private ExternalTools() {
	}

	public static Optional<Path> find(String command) {
		Path node = NODE_BIN.resolve(command);
		if (Files.isExecutable(node)) {
			return Optional.of(node);
		}
		String path = System.getenv().getOrDefault("PATH", "");
		for (String directory : path.split(File.pathSeparator)) {
			Path candidate = Path.of(directory, command);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/** The tool's path; skips (locally) or fails (CI) the calling test when it is missing. */
	public static Path require(String command) {
		Optional<Path> tool = find(command);
		if (tool.isEmpty()) {
			String message = command + " is not installed: run 'bash .ci/install-tools.sh' (as root) to install it";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				fail(message);
			}
			Assumptions.abort(message);
		}
		return tool.get();
	}

}
