package com.acme.iot.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/** The linters CI runs over the delivery files, run by the build too: shellcheck, actionlint, action-validator, terraform fmt. */
class DeliveryLintTests {

	@Test
	void shellScriptsAreShellcheckClean() throws Exception {
		Path shellcheck = ExternalTools.require("shellcheck");
		List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "-x", "--severity=style"));
		command.addAll(files(Path.of("deploy"), ".sh"));
		command.addAll(files(Path.of(".ci"), ""));
		command.addAll(files(Path.of(".github/scripts"), ".sh"));
		command.addAll(files(Path.of("src/test/resources/delivery"), ""));

		Result result = run(command);
		Result agent = run(List.of(shellcheck.toString(), "--shell=sh", "--severity=style",
				"observability/prometheus/azure/agent-entrypoint.sh"));

		assertThat(command).contains("deploy/deploy.sh", "deploy/rollback.sh", "deploy/smoke-test.sh", "deploy/backup.sh",
				"deploy/restore.sh", "deploy/rotate-secret.sh", "deploy/promote.sh", "deploy/notify.sh", ".ci/run",
				"src/test/resources/delivery/az", "src/test/resources/delivery/crane");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(agent.exitCode()).as(agent.output()).isZero();
	}

	@Test
	void workflowsPassActionlint() throws Exception {
		Path node = ExternalTools.require("node");
		ExternalTools.require("action-validator");
		List<String> command = new ArrayList<>(List.of(node.toString(), "src/test/tools/actionlint.mjs"));
		command.addAll(workflows());

		Result result = run(command);

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains(workflows().size() + " file(s), 0 finding(s)");
	}

	@Test
	void workflowsPassActionValidator() throws Exception {
		Path validator = ExternalTools.require("action-validator");
		for (String workflow : workflows()) {
			Result result = run(List.of(validator.toString(), workflow));
			assertThat(result.exitCode()).as(workflow + "\n" + result.output()).isZero();
		}
	}

	@Test
	void theExpectedWorkflowsExist() throws Exception {
		assertThat(workflows()).contains(".github/workflows/ci.yml", ".github/workflows/release.yml",
				".github/workflows/deploy.yml", ".github/workflows/staging.yml", ".github/workflows/production.yml",
				".github/workflows/rollback.yml", ".github/workflows/infra.yml");
		assertThat(Files.readString(Path.of(".github/workflows/rollback.yml"))).contains("CONFIRM",
				"deploy/notify.sh --status started", "deploy/notify.sh --status succeeded", "deploy/notify.sh --status failed");
		assertThat(Files.readString(Path.of(".github/workflows/deploy.yml"))).contains("workflow_call",
				"--trigger PRE_DEPLOY", "deploy/deploy.sh", "deploy/rollback.sh", "aquasecurity/trivy-action",
				"--status started", "--status succeeded", "--status rolled-back", "--status failed");
		assertThat(Files.readString(Path.of(".github/workflows/ci.yml"))).contains("gitleaks", "release/* | hotfix/*",
				"crane push jib-image.tar", "prometheus-rules-to-terraform.mjs --check", "refs/heads/release/*");
		assertThat(Files.readString(Path.of(".github/workflows/release.yml"))).contains("deploy/promote.sh release")
			.doesNotContain("jib:build").doesNotContain("-DskipTests");
		assertThat(Files.readString(Path.of(".github/workflows/production.yml"))).contains("deploy/promote.sh resolve")
			.doesNotContain("jib:build");
		assertThat(Files.readString(Path.of(".github/workflows/infra.yml"))).contains("-detailed-exitcode",
				"upload-artifact", "environment: ${{ needs.target.outputs.environment }}", "deploy/database-role.sh",
				"deploy/grafana-provision.sh");
	}

	@Test
	void terraformIsCanonicallyFormatted() throws Exception {
		Path terraform = ExternalTools.require("terraform");

		Result result = run(List.of(terraform.toString(), "fmt", "-check", "-recursive", "-diff", "infra"));

		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	static List<String> workflows() throws IOException {
		return files(Path.of(".github/workflows"), ".yml");
	}

	static List<String> files(Path directory, String suffix) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter(Files::isRegularFile)
				.map(Path::toString)
				.filter(name -> name.endsWith(suffix))
				.sorted()
				.toList();
		}
	}

	static Result run(List<String> command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("TF_CLI_CONFIG_FILE", "/dev/null");
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(command + " did not finish in 120 s");
		}
		return new Result(process.exitValue(), output);
	}

	record Result(int exitCode, String output) {
	}

}
