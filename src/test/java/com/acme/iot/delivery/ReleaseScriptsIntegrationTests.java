package com.acme.iot.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/** The release workflow's scripts on a throw-away git repository: next SemVer and the CHANGELOG section (git-cliff). */
class ReleaseScriptsIntegrationTests {

	@TempDir
	Path repo;

	@BeforeEach
	void initRepository() throws Exception {
		ExternalTools.require("git");
		ExternalTools.require("git-cliff");
		git("init", "-q");
		commit("chore: initial commit");
	}

	@Test
	void firstReleaseFollowsTheCommitsSinceTheBeginning() throws Exception {
		commit("fix(sensors): reject blank names");

		assertThat(nextVersion()).isEqualTo("0.0.1");
	}

	@Test
	void fixesBumpThePatchFeaturesTheMinorBreakingChangesTheMajor() throws Exception {
		git("tag", "v1.4.2");
		commit("docs: typo");
		assertThat(nextVersion()).isEmpty();

		commit("fix(readings): accept NaN as missing");
		assertThat(nextVersion()).isEqualTo("1.4.3");

		commit("feat(alerts): quiet hours");
		commit("fix(alerts): timezone of quiet hours");
		assertThat(nextVersion()).isEqualTo("1.5.0");

		commit("refactor(readings): batch table\n\nBREAKING CHANGE: POST /api/readings takes a batch only");
		assertThat(nextVersion()).isEqualTo("2.0.0");
	}

	@Test
	void anExclamationMarkMarksABreakingChange() throws Exception {
		git("tag", "v0.3.0");
		commit("feat(sensors)!: kinds are an open list");

		assertThat(nextVersion()).isEqualTo("1.0.0");
	}

	@Test
	void releasingGeneratesTheSectionFromTheCommitsAndKeepsTheHandWrittenNotes() throws Exception {
		git("tag", "v1.4.2");
		commit("feat(alerts): quiet hours");
		commit("fix(readings): accept NaN as missing");
		commit("docs: typo");
		commit("refactor(readings)!: batch table only");
		Path changelog = this.repo.resolve("CHANGELOG.md");
		Files.writeString(changelog, """
				# Changelog

				## [Unreleased]

				### Added
				- Quiet hours for alerts, with their time zone.

				## [1.4.2] - 2026-10-01

				### Fixed
				- Older things.
				""");

		Result result = run(List.of(script("changelog-release.sh"), "1.5.0", changelog.toString(), "2026-11-24"));

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("### Added", "- alerts: Quiet hours", "### Fixed",
				"- readings: Accept NaN as missing", "### Changed", "- **BREAKING** readings: Batch table only", "### Notes",
				"#### Added", "- Quiet hours for alerts, with their time zone.").doesNotContain("Typo", "Older things");
		String released = Files.readString(changelog);
		assertThat(released).startsWith("""
				# Changelog

				## [Unreleased]

				## [1.5.0] - 2026-11-24

				### Added
				- alerts: Quiet hours (""").contains("""
				- Quiet hours for alerts, with their time zone.

				## [1.4.2] - 2026-10-01""");
		assertThat(run(List.of(script("changelog-release.sh"), "1.5.0", changelog.toString())).exitCode())
			.as("a version is released once")
			.isEqualTo(1);
	}

	private String nextVersion() throws Exception {
		Result result = run(List.of(script("next-version.sh")));
		assertThat(result.exitCode()).as(result.output()).isZero();
		return result.output().strip();
	}

	private static String script(String name) {
		return Path.of(".github/scripts", name).toAbsolutePath().toString();
	}

	private void commit(String message) throws Exception {
		git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m",
				message);
	}

	private void git(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("git"));
		command.addAll(List.of(args));
		Result result = run(command);
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	private Result run(List<String> command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.repo.toFile()).redirectErrorStream(true);
		ExternalTools.find("git-cliff").ifPresent((cliff) -> builder.environment().put("GIT_CLIFF", cliff.toString()));
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(command + " did not finish in 60 s");
		}
		return new Result(process.exitValue(), output);
	}

	private record Result(int exitCode, String output) {
	}

}
