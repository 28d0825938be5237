package com.acme.iot.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Build once, promote the digest (deploy/promote.sh): staging marks the digest it smoke-tested, a release tags only
 * a staged digest built from main's exact content, production resolves the version to that digest. A recording
 * fake {@code crane} (src/test/resources/delivery/crane) stands in for the registry; git is real.
 */
class PromotionScriptsIntegrationTests {

	private static final String REPOSITORY = "ghcr.io/acme/iot-api";

	private static final String HEX = "a".repeat(64);

	private static final String IMAGE = REPOSITORY + "@sha256:" + HEX;

	@TempDir
	Path dir;

	private Path repo;

	private String tree;

	@BeforeEach
	void repositoryAndRegistry() throws Exception {
		ExternalTools.require("git");
		ExternalTools.require("jq");
		Path bin = Files.createDirectories(dir.resolve("bin"));
		Files.copy(Path.of("src/test/resources/delivery/crane"), bin.resolve("crane"));
		Files.setPosixFilePermissions(bin.resolve("crane"), PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.writeString(dir.resolve("calls.log"), "");
		repo = Files.createDirectories(dir.resolve("repo"));
		git("init", "-q");
		Files.writeString(repo.resolve("README.md"), "release 1.5\n");
		git("add", ".");
		git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "feat: release 1.5");
		String revision = git("rev-parse", "HEAD");
		tree = git("rev-parse", "HEAD^{tree}");
		Files.writeString(dir.resolve("config-" + HEX + ".json"),
				"{\"config\":{\"Labels\":{\"org.opencontainers.image.revision\":\"" + revision + "\"}}}");
	}

	@Test
	void aStagedDigestBuiltFromMainIsReleasedAndProductionResolvesTheVersionToIt() throws Exception {
		assertThat(promote("mark-staged", "--image", IMAGE).exitCode()).isZero();

		Result release = promote("release", "--image", IMAGE, "--version", "1.5.0", "--tree", tree);
		Result resolved = promote("resolve", "--repository", REPOSITORY, "--version", "1.5.0");

		assertThat(release.exitCode()).as(release.output()).isZero();
		assertThat(resolved.exitCode()).as(resolved.output()).isZero();
		assertThat(resolved.output().strip()).endsWith(IMAGE);
		assertThat(Files.readAllLines(dir.resolve("calls.log"))).contains(
				"crane tag " + IMAGE + " staging-passed-" + HEX, "crane tag " + IMAGE + " 1.5.0")
			.noneMatch((line) -> line.contains("push") || line.contains("build"));
	}

	@Test
	void aDigestThatNeverPassedStagingIsNeitherReleasedNorDeployed() throws Exception {
		Files.writeString(dir.resolve("registry"), REPOSITORY + ":1.5.0 sha256:" + HEX + "\n");

		Result release = promote("release", "--image", IMAGE, "--version", "1.5.0", "--tree", tree);
		Result resolved = promote("resolve", "--repository", REPOSITORY, "--version", "1.5.0");

		assertThat(release.exitCode()).isNotZero();
		assertThat(release.output()).contains("never passed staging");
		assertThat(resolved.exitCode()).isNotZero();
		assertThat(resolved.output()).contains("never passed staging");
		assertThat(Files.readAllLines(dir.resolve("calls.log"))).noneMatch((line) -> line.startsWith("crane tag"));
	}

	@Test
	void aStagedDigestOfOtherContentThanMainIsNotReleased() throws Exception {
		promote("mark-staged", "--image", IMAGE);
		Files.writeString(repo.resolve("README.md"), "a hotfix merged into main but never staged\n");
		git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "fix: unstaged");

		Result release = promote("release", "--image", IMAGE, "--version", "1.5.0", "--tree", git("rev-parse", "HEAD^{tree}"));

		assertThat(release.exitCode()).isNotZero();
		assertThat(release.output()).contains("was built from", "not from tree");
	}

	@Test
	void anUnknownVersionAndATagInsteadOfADigestAreRefused() throws Exception {
		Result unknown = promote("resolve", "--repository", REPOSITORY, "--version", "9.9.9");
		Result byTag = promote("mark-staged", "--image", REPOSITORY + ":1.5.0");

		assertThat(unknown.exitCode()).isNotZero();
		assertThat(unknown.output()).contains("no image " + REPOSITORY + ":9.9.9");
		assertThat(byTag.exitCode()).isNotZero();
		assertThat(byTag.output()).contains("must be <repository>@sha256:");
	}

	@Test
	void everyOperationsScriptExplainsItselfWithHelp() throws Exception {
		for (String script : List.of("promote.sh", "rotate-secret.sh", "database-role.sh", "grafana-provision.sh", "notify.sh")) {
			Result result = run(Path.of("deploy", script).toAbsolutePath().toString(), "--help");
			assertThat(result.exitCode()).as(script).isZero();
			assertThat(result.output()).as(script).contains("Usage: deploy/" + script);
		}
	}

	private Result promote(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of("deploy/promote.sh").toAbsolutePath().toString()));
		command.addAll(List.of(args));
		return run(command.toArray(String[]::new));
	}

	private Result run(String... command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.put("PATH", dir.resolve("bin") + ":" + env.get("PATH"));
		env.put("FAKE_AZ_DIR", dir.toString());
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}

	private String git(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("git"));
		command.addAll(List.of(args));
		Result result = run(command.toArray(String[]::new));
		assertThat(result.exitCode()).as(result.output()).isZero();
		return result.output().strip();
	}

	private record Result(int exitCode, String output) {
	}

}
