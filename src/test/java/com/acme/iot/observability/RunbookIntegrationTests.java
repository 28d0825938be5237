package com.acme.iot.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.acme.iot.ExternalTools;
import com.acme.iot.observability.ObservabilityFiles.Result;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the runbooks executable: every alert's runbook_url resolves, every runbook follows the five steps of the
 * rollback procedure with its time budget, every shell block is valid bash that only calls scripts of the
 * repository that exist and answer {@code --help}, and every curl targets an endpoint the service documents.
 */
class RunbookIntegrationTests {

	private static final Pattern SHELL_BLOCK = Pattern.compile("```(?:bash|sh)\\n(.*?)```", Pattern.DOTALL);

	/** A path to a shell script, e.g. deploy/rollback.sh or ./deploy/backup.sh. */
	private static final Pattern SCRIPT = Pattern.compile("(?<![\\w./$-])((?:\\./)?(?:[\\w.-]+/)*[\\w.-]+\\.sh)(?![\\w.])");

	private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)#]+\\.md)(?:#[^)]*)?\\)");

	private static final Pattern API_URL = Pattern.compile("\\$\\{?IOT_API_URL}?(/[^\"'\\s]*)");

	private static final List<String> FIVE_STEPS = List.of("## 1. Assess", "## 2. Pre-rollback backup", "## 3. Execute",
			"## 4. Validate", "## 5. Communicate");

	/** The service's documented endpoints (README and issues), with {id} for any path variable. */
	private static final Set<String> DOCUMENTED_ENDPOINTS = Set.of("/actuator/health", "/actuator/health/liveness",
			"/actuator/health/readiness", "/actuator/info", "/actuator/prometheus", "/actuator/metrics",
			"/actuator/metrics/{id}", "/actuator/backups", "/actuator/backups/{id}", "/actuator/restore",
			"/actuator/eventpublications", "/api/release",
			"/api/tokens", "/api/tokens/{id}", "/api/sensors", "/api/sensors/{id}", "/api/sensors/{id}/device-token",
			"/api/sensors/{id}/readings", "/api/sensors/{id}/readings/latest", "/api/readings", "/api/readings/latest",
			"/api/alerts", "/api/alerts/{id}", "/api/alert-rules", "/api/notification-channels",
			"/api/notification-channels/{id}", "/api/notification-channels/{id}/deliveries");

	@TempDir
	Path work;

	@Test
	@SuppressWarnings("unchecked")
	void everyRunbookUrlOfTheAlertRulesResolvesToARunbook() {
		assertThat(ObservabilityFiles.alertRules()).isNotEmpty().allSatisfy((rule) -> {
			String url = (String) ((Map<String, Object>) rule.get("annotations")).get("runbook_url");
			assertThat(url).as("runbook_url of %s", rule.get("alert")).startsWith(ObservabilityFiles.RUNBOOK_URL_PREFIX);
			Path runbook = ObservabilityFiles.ROOT.resolve(url.substring(ObservabilityFiles.RUNBOOK_URL_PREFIX.length()));
			assertThat(runbook).as("runbook of %s", rule.get("alert")).isRegularFile();
		});
	}

	@Test
	void theIndexListsEveryRunbookAndEveryLinkResolves() {
		Set<String> indexed = new TreeSet<>();
		for (Path runbook : ObservabilityFiles.runbookFiles()) {
			Matcher links = MARKDOWN_LINK.matcher(ObservabilityFiles.read(runbook));
			while (links.find()) {
				String target = links.group(1);
				assertThat(runbook.resolveSibling(target)).as("link %s in %s", target, runbook.getFileName()).isRegularFile();
				if (runbook.getFileName().toString().equals("README.md")) {
					indexed.add(target);
				}
			}
		}

		assertThat(indexed).containsAll(ObservabilityFiles.runbookFiles()
			.stream()
			.map((runbook) -> runbook.getFileName().toString())
			.filter((name) -> !name.equals("README.md"))
			.toList());
	}

	@Test
	void everyRunbookFollowsTheFiveStepsAndStatesItsTimeBudget() {
		assertThat(ObservabilityFiles.runbookFiles()).filteredOn((runbook) -> !runbook.endsWith("README.md"))
			.hasSizeGreaterThanOrEqualTo(20)
			.allSatisfy((runbook) -> {
				String text = ObservabilityFiles.read(runbook);
				int previous = -1;
				for (String step : FIVE_STEPS) {
					int at = text.indexOf("\n" + step + "\n");
					assertThat(at).as("'%s' after the previous step in %s", step, runbook.getFileName()).isGreaterThan(previous);
					previous = at;
				}
				assertThat(text).as("time budget of %s", runbook.getFileName()).contains("**Time budget:**").contains("RTO");
			});
	}

	@Test
	void everyScriptCalledInAShellBlockExistsAndAnswersHelp() throws IOException {
		Map<String, String> scripts = new TreeMap<>();
		for (Path runbook : ObservabilityFiles.runbookFiles()) {
			for (String block : shellBlocks(runbook)) {
				Matcher script = SCRIPT.matcher(block);
				while (script.find()) {
					scripts.putIfAbsent(script.group(1).replaceFirst("^\\./", ""), runbook.getFileName().toString());
				}
			}
		}

		assertThat(scripts).as("scripts called by the runbooks").containsKeys("deploy/rollback.sh", "deploy/backup.sh",
				"deploy/restore.sh", "deploy/smoke-test.sh", "deploy/deploy.sh");
		List<String> problems = new ArrayList<>();
		scripts.forEach((script, runbook) -> {
			Path file = ObservabilityFiles.ROOT.resolve(script);
			if (!Files.isRegularFile(file)) {
				problems.add(script + " (called in " + runbook + ") does not exist");
			}
			else if (!Files.isExecutable(file)) {
				problems.add(script + " (called in " + runbook + ") is not executable");
			}
			else {
				Result help = ObservabilityFiles.run(List.of(file.toString(), "--help"), Duration.ofSeconds(30));
				if (!help.succeeded() || help.output().isBlank()) {
					problems.add(script + " --help exited " + help.exitCode() + ": " + help.output());
				}
			}
		});
		assertThat(problems).isEmpty();
	}

	@Test
	void shellBlocksAreValidBashWithoutShellcheckWarnings() throws IOException {
		Path shellcheck = ExternalTools.require("shellcheck");
		List<String> problems = new ArrayList<>();
		int index = 0;
		for (Path runbook : ObservabilityFiles.runbookFiles()) {
			for (String block : shellBlocks(runbook)) {
				Path file = Files.writeString(this.work.resolve("block-" + index++ + ".sh"), "#!/usr/bin/env bash\n" + block);
				Result syntax = ObservabilityFiles.run(List.of("bash", "-n", file.toString()), Duration.ofSeconds(30));
				// SC2034: a block may set a variable for the reader's next block.
				Result lint = ObservabilityFiles.run(List.of(shellcheck.toString(), "--severity=warning", "--exclude=SC2034",
						file.toString()), Duration.ofSeconds(60));
				if (!syntax.succeeded() || !lint.succeeded()) {
					problems.add(runbook.getFileName() + ":\n" + block + syntax.output() + lint.output());
				}
			}
		}

		assertThat(index).isGreaterThan(20);
		assertThat(problems).isEmpty();
	}

	@Test
	void curlCallsOnlyDocumentedEndpoints() {
		Set<String> called = new TreeSet<>();
		for (Path runbook : ObservabilityFiles.runbookFiles()) {
			for (String block : shellBlocks(runbook)) {
				Matcher url = API_URL.matcher(block);
				while (url.find()) {
					called.add(url.group(1)
						.replaceFirst("\\?.*$", "")
						.replaceAll("\\$\\{?[A-Z_]+}?", "{id}")
						.replaceAll("/[a-z]+(\\.[a-z]+)+$", "/{id}"));
				}
			}
		}

		assertThat(called).isNotEmpty();
		assertThat(DOCUMENTED_ENDPOINTS).containsAll(called);
	}

	private static List<String> shellBlocks(Path runbook) {
		List<String> blocks = new ArrayList<>();
		Matcher matcher = SHELL_BLOCK.matcher(ObservabilityFiles.read(runbook));
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks;
	}

}
