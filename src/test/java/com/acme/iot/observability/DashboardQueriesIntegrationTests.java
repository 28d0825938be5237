package com.acme.iot.observability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;
import com.acme.iot.ExternalTools;
import com.acme.iot.TestClock;
import com.acme.iot.observability.ObservabilityFiles.DashboardQuery;
import com.acme.iot.observability.ObservabilityFiles.Result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the real monitoring path here: the service in-process, Debian's {@code prometheus-node-exporter} and
 * {@code prometheus} on loopback ports with a configuration derived from {@code observability/prometheus/prometheus.yml}
 * and the alert rules; drives traffic through the API; then asks Prometheus every dashboard query and expects
 * data, and checks that every metric the alert rules use is exposed. Queries on exporters that cannot run here
 * (postgres-exporter: {@code pg_*}, blackbox: {@code probe_*}) and Loki log panels are listed as skipped.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardQueriesIntegrationTests {

	/** Metrics of exporters that do not run in this test. */
	private static final Pattern ABSENT_EXPORTER_METRIC = Pattern.compile("\\b(pg|probe)_[a-z_]+");

	/**
	 * Counters with a label per cause or outcome that Micrometer creates at their first event; a test run that
	 * did not produce such an event cannot see them.
	 */
	private static final Set<String> EVENT_BORN_COUNTERS = Set.of("iot_backup_failures_total",
			"iot_notifications_deliveries_total", "iot_restore_total", "iot_alerts_opened_total",
			"iot_alerts_resolved_total", "iot_ops_requests_total");

	/** Jobs of prometheus.yml kept in the derived configuration (the others scrape absent exporters). */
	private static final Set<String> LIVE_JOBS = Set.of("iot-api", "node", "prometheus");

	private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<Process> processes = new ArrayList<>();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@TempDir
	Path work;

	@AfterEach
	void stopProcesses() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroy();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void everyDashboardQueryReturnsDataAndTheAlertRulesLoad() throws Exception {
		Path prometheus = ExternalTools.require("prometheus");
		Path nodeExporter = ExternalTools.require("prometheus-node-exporter");
		Path promtool = ExternalTools.require("promtool");
		int nodePort = freePort();
		int prometheusPort = freePort();
		Instant start = Instant.now();

		start("node-exporter", List.of(nodeExporter.toString(), "--web.listen-address=127.0.0.1:" + nodePort,
				"--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.filesystem",
				"--collector.loadavg", "--collector.netdev", "--collector.uname"));
		Path config = writeDerivedConfig(nodePort, prometheusPort);
		Result check = ObservabilityFiles.run(List.of(promtool.toString(), "check", "config", config.toString()),
				Duration.ofMinutes(1));
		assertThat(check.succeeded()).as("derived configuration:\n" + check.output()).isTrue();
		start("prometheus", List.of(prometheus.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + this.work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort));
		String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/";

		await("Prometheus and its targets up", Duration.ofSeconds(60), () -> targetsUp(api));
		System.out.println("Prometheus targets: " + this.lastTargetHealth);
		for (int round = 0; round < 3; round++) {
			driveTraffic(round);
			Thread.sleep(3 * SCRAPE_INTERVAL.toMillis());
		}
		Thread.sleep(5 * SCRAPE_INTERVAL.toMillis());

		assertRulesLoaded(api);

		List<DashboardQuery> noData = new ArrayList<>();
		List<DashboardQuery> skipped = new ArrayList<>();
		Map<DashboardQuery, String> zeroFallbackOnly = new LinkedHashMap<>();
		List<DashboardQuery> queries = ObservabilityFiles.dashboardQueries();
		for (DashboardQuery query : queries) {
			if (!"prometheus".equals(query.datasourceUid()) || ABSENT_EXPORTER_METRIC.matcher(query.expr()).find()) {
				skipped.add(query);
				continue;
			}
			JsonNode result = queryRange(api, substituteVariables(query.expr()), start, Instant.now());
			if (result.isEmpty()) {
				noData.add(query);
			}
			else if (query.expr().contains("or vector(0)") && !metricsOf(query.expr()).isEmpty()
					&& onlyUnlabelledSeries(result)) {
				zeroFallbackOnly.put(query, metricsOf(query.expr()).toString());
			}
		}

		System.out.printf("%nDashboard queries: %d checked, %d skipped, %d without data%n",
				queries.size() - skipped.size(), skipped.size(), noData.size());
		skipped.forEach((query) -> System.out.println("  SKIPPED (exporter or Loki absent here) " + query));
		zeroFallbackOnly.forEach((query, metrics) -> System.out.println(
				"  ZERO ONLY (metrics " + metrics + " appear with their first event) " + query));
		noData.forEach((query) -> System.out.println("  NO DATA " + query));

		Set<String> exposed = new TreeSet<>();
		get(api + "label/__name__/values").path("data").forEach((name) -> exposed.add(name.stringValue()));
		Set<String> missingInRules = new TreeSet<>(metricsOfAlertRules());
		missingInRules.removeAll(exposed);
		missingInRules.removeAll(EVENT_BORN_COUNTERS);
		missingInRules.removeIf((metric) -> ABSENT_EXPORTER_METRIC.matcher(metric).matches());
		missingInRules.forEach((metric) -> System.out.println("  ALERT RULES USE A METRIC THE SERVICE DOES NOT EXPOSE " + metric));

		assertThat(noData).as("dashboard queries without data (see the list above)").isEmpty();
		assertThat(missingInRules).as("metrics used by alert rules but not exposed").isEmpty();
	}

	/** Names of the scraped metrics the alert rules use (recording-rule names excluded). */
	@SuppressWarnings("unchecked")
	private static Set<String> metricsOfAlertRules() {
		Pattern metric = Pattern.compile("(?<![:\\w])((?:iot|http_server|hikaricp|jvm|process|system|disk|node)_[a-z0-9_]+)(?![:\\w])");
		Set<String> metrics = new TreeSet<>();
		for (Map<String, Object> group : ObservabilityFiles.ruleGroups()) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				Matcher matcher = metric.matcher((String) rule.get("expr"));
				while (matcher.find()) {
					metrics.add(matcher.group(1));
				}
			}
		}
		return metrics;
	}

	private Path writeDerivedConfig(int nodePort, int prometheusPort) throws IOException {
		Map<String, Object> config = ObservabilityFiles.yaml(ObservabilityFiles.PROMETHEUS_CONFIG);
		Path token = Files.writeString(this.work.resolve("iot-api-token"), "test-admin-token");
		@SuppressWarnings("unchecked")
		Map<String, Object> global = (Map<String, Object>) config.get("global");
		global.put("scrape_interval", SCRAPE_INTERVAL.toSeconds() + "s");
		global.put("evaluation_interval", SCRAPE_INTERVAL.toSeconds() + "s");
		config.remove("alerting");
		config.put("rule_files", List.of(ObservabilityFiles.RULES.resolve("*.yml").toString()));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
		assertThat(jobs).extracting((job) -> job.get("job_name")).containsAll(LIVE_JOBS);
		jobs.removeIf((job) -> !LIVE_JOBS.contains((String) job.get("job_name")));
		for (Map<String, Object> job : jobs) {
			String target = switch ((String) job.get("job_name")) {
				case "iot-api" -> "127.0.0.1:" + this.port;
				case "node" -> "127.0.0.1:" + nodePort;
				default -> "127.0.0.1:" + prometheusPort;
			};
			job.put("static_configs", List.of(Map.of("targets", List.of(target))));
			@SuppressWarnings("unchecked")
			Map<String, Object> authorization = (Map<String, Object>) job.get("authorization");
			if (authorization != null) {
				authorization.put("credentials_file", token.toString());
			}
		}
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return Files.writeString(this.work.resolve("prometheus.yml"), new Yaml(options).dump(config));
	}

	/** Traffic that touches every module: sensors, readings, alerts, backups and drills, release info, errors. */
	private void driveTraffic(int round) {
		ApiClient admin = new ApiClient(this.port, "test-admin-token");
		Response token = admin.post("/api/tokens", """
				{"name":"dashboard-test-%d","role":"OPERATOR"}""".formatted(round));
		assertThat(token.status()).as(token.toString()).isEqualTo(201);
		ApiClient operator = admin.as(token.json().get("token").stringValue());
		String site = "dashboards-" + round;
		List<String> sensors = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Response sensor = operator.post("/api/sensors", """
					{"name":"probe %d","kind":"TEMPERATURE","site":"%s"}""".formatted(i, site));
			assertThat(sensor.status()).as(sensor.toString()).isEqualTo(201);
			sensors.add(sensor.json().get("id").stringValue());
			ApiClient device = admin.as(sensor.json().get("deviceToken").stringValue());
			bestEffort(device.post("/api/sensors/" + sensors.get(i) + "/readings", """
					[{"value":21.5},{"time":"%s","value":22.0}]""".formatted(this.clock.instant().minusSeconds(60))));
		}
		bestEffort(operator.post("/api/alert-rules", """
				{"name":"too hot %d","scope":{"kind":"TEMPERATURE","site":"%s"},"condition":"ABOVE","threshold":30.0,
				 "severity":"CRITICAL"}""".formatted(round, site)));
		bestEffort(operator.post("/api/readings", """
				[{"sensorId":"%s","time":"%s","value":45.0}]""".formatted(sensors.get(0), this.clock.instant())));
		operator.get("/api/sensors?site=" + site);
		operator.get("/api/sensors/" + sensors.get(1));
		bestEffort(operator.get("/api/alerts"));
		bestEffort(operator.get("/api/sensors/" + sensors.get(1) + "/readings"));
		assertThat(operator.get("/api/sensors/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
		assertThat(admin.as(null).get("/api/sensors").status()).isEqualTo(401);
		bestEffort(admin.get("/api/release"));
		if (round == 0) {
			Response backup = bestEffort(admin.post("/actuator/backups", "{\"label\":\"dashboard-test\"}"));
			if (backup.status() / 100 == 2 && backup.json().has("id")) {
				String id = backup.json().get("id").stringValue();
				await("backup " + id + " finished", Duration.ofSeconds(60), () -> {
					Response status = admin.get("/actuator/backups/" + id);
					return status.status() != 200 || !"RUNNING".equals(status.json().path("status").asString(""));
				});
				bestEffort(admin.post("/actuator/restore", """
						{"backupId":"%s","target":"scratch"}""".formatted(id)));
			}
		}
	}

	/** Calls of modules merged separately: their status is printed, not asserted, the metrics are what counts. */
	private static Response bestEffort(Response response) {
		if (response.status() / 100 != 2) {
			System.out.println("traffic: " + response.raw().request().method() + " " + response.raw().uri().getPath()
					+ " -> " + response.status());
		}
		return response;
	}

	private String lastTargetHealth = "";

	private boolean targetsUp(String api) {
		try {
			JsonNode targets = get(api + "targets?state=active").path("data").path("activeTargets");
			Set<String> up = new TreeSet<>();
			StringBuilder health = new StringBuilder();
			for (JsonNode target : targets) {
				String job = target.path("labels").path("job").stringValue();
				if ("up".equals(target.path("health").stringValue())) {
					up.add(job);
				}
				health.append(job).append('=').append(target.path("health").stringValue("?"))
					.append(' ').append(target.path("lastError").stringValue("")).append("; ");
			}
			this.lastTargetHealth = health.toString();
			return up.containsAll(LIVE_JOBS);
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	private void assertRulesLoaded(String api) throws InterruptedException {
		Set<String> expectedGroups = new TreeSet<>();
		ObservabilityFiles.ruleGroups().forEach((group) -> expectedGroups.add((String) group.get("name")));
		int expectedRules = ObservabilityFiles.ruleGroups()
			.stream()
			.mapToInt((group) -> ((List<?>) group.get("rules")).size())
			.sum();
		await("every rule evaluated", Duration.ofSeconds(30), () -> {
			JsonNode groups = get(api + "rules").path("data").path("groups");
			int evaluated = 0;
			for (JsonNode group : groups) {
				for (JsonNode rule : group.path("rules")) {
					evaluated += "unknown".equals(rule.path("health").stringValue()) ? 0 : 1;
				}
			}
			return evaluated == expectedRules;
		});
		JsonNode groups = get(api + "rules").path("data").path("groups");
		Set<String> loadedGroups = new TreeSet<>();
		for (JsonNode group : groups) {
			loadedGroups.add(group.path("name").stringValue());
			for (JsonNode rule : group.path("rules")) {
				assertThat(rule.path("health").stringValue()).as(rule.toString()).isEqualTo("ok");
			}
		}
		assertThat(loadedGroups).isEqualTo(expectedGroups);
	}

	/** Grafana's variables, as Grafana would fill them for the test's short time range and "All" replicas. */
	static String substituteVariables(String expr) {
		return expr.replace("$__rate_interval", "15s")
			.replace("$__interval", "5s")
			.replace("$__range", "2m")
			.replace("${instance}", ".*")
			.replace("$instance", ".*");
	}

	private JsonNode queryRange(String api, String expr, Instant from, Instant to) {
		String form = "query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&start=" + from.getEpochSecond()
				+ "&end=" + to.getEpochSecond() + "&step=1";
		JsonNode response = post(api + "query_range", form);
		if (!"success".equals(response.path("status").stringValue())) {
			fail("Prometheus rejected " + expr + ": " + response);
		}
		return response.path("data").path("result");
	}

	private static boolean onlyUnlabelledSeries(JsonNode result) {
		for (JsonNode series : result) {
			if (!series.path("metric").isEmpty()) {
				return false;
			}
		}
		return true;
	}

	private static Set<String> metricsOf(String expr) {
		Set<String> metrics = new TreeSet<>();
		Matcher matcher = Pattern.compile("\\biot_[a-z_]+").matcher(expr);
		while (matcher.find()) {
			metrics.add(matcher.group());
		}
		return metrics;
	}

	private JsonNode get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).GET());
	}

	private JsonNode post(String url, String form) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	private JsonNode send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			return ApiClient.JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void start(String name, List<String> command) throws IOException {
		Path log = this.work.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.processes.add(process);
	}

	private void await(String what, Duration timeout, BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (condition.getAsBoolean()) {
				return;
			}
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		fail("timed out waiting for " + what + "; targets: " + this.lastTargetHealth + "\nprocess logs:\n" + processLogs());
	}

	private String processLogs() {
		StringBuilder logs = new StringBuilder();
		for (String name : List.of("prometheus", "node-exporter")) {
			Path log = this.work.resolve(name + ".log");
			if (Files.exists(log)) {
				String content = ObservabilityFiles.read(log);
				logs.append("--- ").append(name).append('\n')
					.append(content.substring(Math.max(0, content.length() - 4000)));
			}
		}
		return logs.toString();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
