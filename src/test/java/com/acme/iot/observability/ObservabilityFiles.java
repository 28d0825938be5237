package com.acme.iot.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import com.acme.iot.ApiClient;

/**
 * The observability and runbook files of the repository, read the way the tests need them, and a way to run
 * the command-line tools (promtool, amtool, yamllint, the runbooks' scripts) against them.
 */
final class ObservabilityFiles {

	static final Path ROOT = Path.of("").toAbsolutePath();

	static final Path OBSERVABILITY = ROOT.resolve("observability");

	static final Path RULES = OBSERVABILITY.resolve("prometheus/rules");

	static final Path RULE_TESTS = OBSERVABILITY.resolve("prometheus/tests");

	static final Path PROMETHEUS_CONFIG = OBSERVABILITY.resolve("prometheus/prometheus.yml");

	static final Path ALERTMANAGER_CONFIG = OBSERVABILITY.resolve("alertmanager/alertmanager.yml");

	static final Path DASHBOARDS = OBSERVABILITY.resolve("grafana/dashboards");

	static final Path RUNBOOKS = ROOT.resolve("runbooks");

	/** Where every runbook_url points: the runbooks folder of the main branch on GitHub. */
	static final String RUNBOOK_URL_PREFIX = "https://github.com/acme/iot-api/blob/main/";

	private ObservabilityFiles() {
	}

	static List<Path> ruleFiles() {
		return list(RULES, ".yml");
	}

	static List<Path> ruleTestFiles() {
		return list(RULE_TESTS, ".yml");
	}

	static List<Path> dashboardFiles() {
		return list(DASHBOARDS, ".json");
	}

	static List<Path> runbookFiles() {
		return list(RUNBOOKS, ".md");
	}

	static List<Path> list(Path folder, String suffix) {
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> yaml(Path file) {
		return (Map<String, Object>) new Yaml().load(read(file));
	}

	static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static JsonNode json(Path file) {
		return ApiClient.JSON.readTree(read(file));
	}

	/** Every rule group of every rule file, as Prometheus reads them. */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> ruleGroups() {
		List<Map<String, Object>> groups = new ArrayList<>();
		for (Path file : ruleFiles()) {
			groups.addAll((List<Map<String, Object>>) yaml(file).get("groups"));
		}
		return groups;
	}

	/** Every alerting rule (not the recording rules). */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> alertRules() {
		return ruleGroups().stream()
			.flatMap((group) -> ((List<Map<String, Object>>) group.get("rules")).stream())
			.filter((rule) -> rule.containsKey("alert"))
			.toList();
	}

	/** A dashboard query (a panel target or an annotation) with where it comes from. */
	record DashboardQuery(String dashboard, String panel, String refId, String datasourceUid, String expr) {

		@Override
		public String toString() {
			return this.dashboard + " / " + this.panel + " [" + this.refId + "]: " + this.expr;
		}

	}

	/** Every query of every dashboard: panel targets (rows included) and annotation queries. */
	static List<DashboardQuery> dashboardQueries() {
		List<DashboardQuery> queries = new ArrayList<>();
		for (Path file : dashboardFiles()) {
			JsonNode dashboard = json(file);
			String title = dashboard.get("title").stringValue();
			collectPanels(title, dashboard.get("panels"), queries);
			for (JsonNode annotation : dashboard.path("annotations").path("list")) {
				if (annotation.has("expr")) {
					queries.add(new DashboardQuery(title, "annotation " + annotation.get("name").stringValue(), "-",
							annotation.path("datasource").path("uid").stringValue(), annotation.get("expr").stringValue()));
				}
			}
		}
		return queries;
	}

	private static void collectPanels(String dashboard, JsonNode panels, List<DashboardQuery> queries) {
		for (JsonNode panel : panels) {
			if (panel.has("panels")) {
				collectPanels(dashboard, panel.get("panels"), queries);
			}
			for (JsonNode target : panel.path("targets")) {
				JsonNode datasource = target.has("datasource") ? target.get("datasource") : panel.get("datasource");
				queries.add(new DashboardQuery(dashboard, panel.get("title").stringValue(),
						target.get("refId").stringValue(), datasource.path("uid").stringValue(),
						target.get("expr").stringValue()));
			}
		}
	}

	/** The outcome of a command: its exit code and its merged stdout and stderr. */
	record Result(int exitCode, String output) {

		boolean succeeded() {
			return this.exitCode == 0;
		}

	}

	static Result run(List<String> command, Duration timeout) {
		try {
			Path log = Files.createTempFile("observability-tool", ".log");
			try {
				Process process = new ProcessBuilder(command).directory(ROOT.toFile())
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
					.start();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly().waitFor();
					return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command) + "\n"
							+ Files.readString(log));
				}
				return new Result(process.exitValue(), Files.readString(log));
			}
			finally {
				Files.deleteIfExists(log);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
