package com.acme.iot.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secret rotation, the database-role job, Grafana provisioning and Slack notifications of deploy/, against the
 * recording fakes of src/test/resources/delivery ({@code az}, {@code gh}) because no Azure subscription or
 * GitHub repository is reachable from the build, and a JDK HttpServer standing in for the service and for Slack.
 */
class OperationsScriptsIntegrationTests {

	private static final String APP = "ca-iot-api-staging";

	private static final String FQDN = APP + ".happyhill-1234.westeurope.azurecontainerapps.io";

	@TempDir
	Path dir;

	private HttpServer server;

	/** The token the fake service accepts: the current iot-admin-token of the fake Key Vault. */
	private volatile String acceptedToken = "old-token";

	private final StringBuilder slack = new StringBuilder();

	private volatile int slackStatus = 200;

	@BeforeEach
	void startFakes() throws IOException {
		ExternalTools.require("jq");
		ExternalTools.require("curl");
		Files.writeString(dir.resolve("calls.log"), "");
		Files.writeString(dir.resolve("fqdn"), FQDN + "\n");
		Path bin = Files.createDirectories(dir.resolve("bin"));
		for (String fake : List.of("az", "gh", "crane")) {
			Files.copy(Path.of("src/test/resources/delivery", fake), bin.resolve(fake));
			Files.setPosixFilePermissions(bin.resolve(fake), PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		Files.writeString(dir.resolve("revisions.json"), """
				[{"name": "%1$s--live", "properties": {"active": true}},
				 {"name": "%1$s--standby", "properties": {"active": true}},
				 {"name": "%1$s--old", "properties": {"active": false}}]""".formatted(APP));
		Files.createDirectories(dir.resolve("keyvault"));
		Files.writeString(dir.resolve("keyvault/iot-admin-token"), "old-token");
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", this::serve);
		server.start();
	}

	@AfterEach
	void stopServer() {
		server.stop(0);
	}

	@Test
	void adminTokenRotationRestartsEveryActiveRevisionThenUpdatesTheGithubSecret() throws Exception {
		acceptedToken = null; // the service accepts whatever Key Vault holds once the revisions restarted

		Result result = run("deploy/rotate-secret.sh", "--environment", "staging", "--secret", "iot-admin-token",
				"--repository", "acme/iot-api");

		assertThat(result.exitCode()).as(result.output()).isZero();
		String token = Files.readString(dir.resolve("keyvault/iot-admin-token"));
		assertThat(token).hasSize(48).matches("[A-Za-z0-9]+").isNotEqualTo("old-token");
		assertThat(Files.readString(dir.resolve("github-secret-IOT_ADMIN_TOKEN"))).isEqualTo(token);
		List<String> log = log();
		assertThat(log).contains("az containerapp revision restart --resource-group rg-iot-api-staging --name " + APP
				+ " --revision " + APP + "--live --output none", "az containerapp revision restart --resource-group "
						+ "rg-iot-api-staging --name " + APP + " --revision " + APP + "--standby --output none");
		assertThat(log).noneMatch((line) -> line.contains("--revision " + APP + "--old"));
		int pin = indexOf(log, "az containerapp secret set");
		assertThat(log.get(pin)).contains("iot-admin-token=keyvaultref:https://kv-iot-fake.vault.azure.net/secrets/iot-admin-token/v1,identityref:");
		assertThat(pin).isLessThan(indexOf(log, "revision restart"));
		assertThat(indexOf(log, "http POST /api/sensors")).isGreaterThan(indexOf(log, "revision restart"))
			.isLessThan(indexOf(log, "gh secret set IOT_ADMIN_TOKEN --env staging --repo acme/iot-api"));
		assertThat(String.join("\n", log) + result.output()).doesNotContain(token);
	}

	@Test
	void databasePasswordRotationSetsTheRolePasswordThroughTheJobBeforeTheAppReadsIt() throws Exception {
		Result result = run("deploy/rotate-secret.sh", "--environment", "staging", "--secret", "database-password");

		assertThat(result.exitCode()).as(result.output()).isZero();
		List<String> log = log();
		String version = "https://kv-iot-fake.vault.azure.net/secrets/database-password/v1";
		int jobPin = indexOf(log, "az containerapp job secret set");
		assertThat(log.get(jobPin)).contains("--name job-iot-api-staging-db-role", "database-password=keyvaultref:" + version);
		assertThat(jobPin).isLessThan(indexOf(log, "az containerapp job start"));
		assertThat(indexOf(log, "az containerapp job start")).isLessThan(indexOf(log, "az containerapp secret set"));
		assertThat(log.get(indexOf(log, "az containerapp secret set"))).contains("database-password=keyvaultref:" + version);
		assertThat(indexOf(log, "az containerapp secret set")).isLessThan(indexOf(log, "revision restart"));
		assertThat(log).noneMatch((line) -> line.startsWith("gh "));
		assertThat(indexOf(log, "http GET /api/sensors")).isGreaterThan(indexOf(log, "revision restart"));
	}

	@Test
	void administratorPasswordRotationChangesTheServerAndTheJobOnly() throws Exception {
		Result result = run("deploy/rotate-secret.sh", "--environment", "staging", "--secret", "database-admin-password");

		assertThat(result.exitCode()).as(result.output()).isZero();
		String password = Files.readString(dir.resolve("keyvault/database-admin-password"));
		assertThat(Files.readString(dir.resolve("postgres-admin-password"))).isEqualTo(password);
		assertThat(log()).anyMatch((line) -> line.startsWith("az containerapp job secret set")
				&& line.contains("database-admin-password=keyvaultref:https://kv-iot-fake.vault.azure.net/secrets/database-admin-password/v1"))
			.noneMatch((line) -> line.contains("revision restart"))
			.noneMatch((line) -> line.contains(password));
	}

	@Test
	void aFailedRoleJobStopsTheRotationBeforeTheAppIsTouched() throws Exception {
		Files.writeString(dir.resolve("job-status"), "Failed\n");

		Result result = run("deploy/rotate-secret.sh", "--environment", "staging", "--secret", "database-password");

		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("job-iot-api-staging-db-role-exec1 Failed", "az containerapp job logs show");
		assertThat(log()).noneMatch((line) -> line.startsWith("az containerapp secret set"))
			.noneMatch((line) -> line.contains("revision restart"));
	}

	@Test
	void grafanaGetsBothDataSourcesTheFolderAndEveryDashboardWithLogPanelsInKql() throws Exception {
		Result result = run("deploy/grafana-provision.sh", "--environment", "production");

		assertThat(result.exitCode()).as(result.output()).isZero();
		List<Path> uploaded = DeliveryLintTests.files(dir.resolve("grafana"), ".json").stream().map(Path::of).toList();
		assertThat(uploaded).hasSize(DeliveryLintTests.files(Path.of("observability/grafana/dashboards"), ".json").size());
		String all = String.join("\n", uploaded.stream().map(OperationsScriptsIntegrationTests::read).toList());
		assertThat(all).doesNotContain("\"loki\"").contains("IotApiLogs", "Azure Log Analytics",
				"/providers/Microsoft.OperationalInsights/workspaces/log-iot-api-production");
		assertThat(read(dir.resolve("grafana-data-sources/prometheus.json")))
			.contains("https://amw-fake.westeurope.prometheus.monitor.azure.com", "\"uid\": \"prometheus\"", "msi");
		assertThat(log()).anyMatch((line) -> line.startsWith("az grafana folder create") && line.contains("IoT API"))
			.anyMatch((line) -> line.startsWith("az grafana data-source create") && line.contains("amg-iot-api-production"));
	}

	@Test
	void grafanaProvisioningRefusesALokiPanelWithoutItsKql() throws Exception {
		Path dashboards = Files.createDirectories(dir.resolve("dashboards"));
		Files.writeString(dashboards.resolve("new.json"), """
				{"uid": "iot-new", "title": "New", "panels": [{"title": "Fresh logs", "type": "logs",
				  "datasource": {"type": "loki", "uid": "loki"}, "targets": [{"refId": "A", "expr": "{job=\\"iot-api\\"}"}]}]}""");

		Result result = run("deploy/grafana-provision.sh", "--environment", "staging", "--dashboards", dashboards.toString(),
				"--output", dir.resolve("out").toString());

		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("no KQL for the Loki panel \"Fresh logs\" of iot-new");
	}

	@Test
	void slackHearsAboutADeployWithItsEnvironmentImageAndRun() throws Exception {
		Result result = run(Map.of("SLACK_WEBHOOK_URL", "http://hooks.slack.test/services/T/B/X", "GITHUB_RUN_ID", "42",
				"GITHUB_REPOSITORY", "acme/iot-api", "GITHUB_ACTOR", "octocat"), "deploy/notify.sh", "--status",
				"rolled-back", "--environment", "production", "--image", "ghcr.io/acme/iot-api@sha256:abc", "--version", "1.5.0");

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(slack.toString()).contains("\"text\":", "production", "AUTOMATICALLY ROLLED BACK", "1.5.0",
				"ghcr.io/acme/iot-api@sha256:abc", "octocat", "https://github.com/acme/iot-api/actions/runs/42");
	}

	@Test
	void aMissingOrFailingSlackNeverFailsTheDeploy() throws Exception {
		Result missing = run(Map.of(), "deploy/notify.sh", "--status", "started", "--environment", "staging");
		slackStatus = 500;
		Result failing = run(Map.of("SLACK_WEBHOOK_URL", "http://hooks.slack.test/x"), "deploy/notify.sh", "--status",
				"failed", "--environment", "staging");

		assertThat(missing.exitCode()).isZero();
		assertThat(missing.output()).contains("::warning::", "SLACK_WEBHOOK_URL is not set");
		assertThat(failing.exitCode()).isZero();
		assertThat(failing.output()).contains("::warning::", "HTTP 500");
	}

	private void serve(HttpExchange exchange) throws IOException {
		String host = exchange.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "");
		String method = exchange.getRequestMethod();
		String path = exchange.getRequestURI().getPath();
		byte[] body = exchange.getRequestBody().readAllBytes();
		record("http " + method + " " + path + " " + host);
		if (host.startsWith("hooks.slack")) {
			slack.append(new String(body, StandardCharsets.UTF_8));
			respond(exchange, slackStatus, "ok");
			return;
		}
		String token = acceptedToken != null ? acceptedToken : read(dir.resolve("keyvault/iot-admin-token"));
		boolean authenticated = ("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"));
		if (path.equals("/actuator/health")) {
			respond(exchange, 200, "{\"status\":\"UP\"}");
		}
		else if (path.equals("/api/release")) {
			respond(exchange, 200, "{\"version\":\"1.5.0\"}");
		}
		else if (!authenticated) {
			respond(exchange, 401, "{}");
		}
		else if (method.equals("GET") && path.equals("/api/sensors")) {
			respond(exchange, 200, "{\"items\":[],\"page\":0,\"size\":1,\"total\":0}");
		}
		else if (method.equals("POST") && path.equals("/api/sensors")) {
			respond(exchange, 201, "{\"id\":\"6f1c1b8e-0000-0000-0000-000000000001\"}");
		}
		else if (method.equals("DELETE")) {
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		}
		else {
			respond(exchange, 404, "{}");
		}
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	private synchronized void record(String line) throws IOException {
		Files.writeString(dir.resolve("calls.log"), line + "\n", StandardOpenOption.APPEND);
	}

	private List<String> log() throws IOException {
		return Files.readAllLines(dir.resolve("calls.log"));
	}

	private static int indexOf(List<String> log, String fragment) {
		for (int i = 0; i < log.size(); i++) {
			if (log.get(i).contains(fragment)) {
				return i;
			}
		}
		return -1;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Result run(String script, String... args) throws Exception {
		return run(Map.of(), script, args);
	}

	Result run(Map<String, String> extraEnv, String script, String... args) throws Exception {
		String[] command = new String[args.length + 1];
		command[0] = Path.of(script).toAbsolutePath().toString();
		System.arraycopy(args, 0, command, 1, args.length);
		ProcessBuilder builder = new ProcessBuilder(Arrays.asList(command)).redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.put("PATH", dir.resolve("bin") + ":" + env.get("PATH"));
		env.put("FAKE_AZ_DIR", dir.toString());
		env.put("IOT_URL_SCHEME", "http");
		env.put("IOT_CURL_OPTS", "--connect-to ::127.0.0.1:" + server.getAddress().getPort());
		env.put("IOT_SMOKE_DEADLINE", "20");
		for (String name : List.of("IOT_ADMIN_TOKEN", "IOT_API_URL", "GITHUB_OUTPUT", "GITHUB_REPOSITORY", "GITHUB_RUN_ID",
				"SLACK_WEBHOOK_URL")) {
			env.remove(name);
		}
		env.putAll(extraEnv);
		Process process = builder.start();
		process.getOutputStream().close();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(script + " did not finish in 120 s");
		}
		return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	record Result(int exitCode, String output) {
	}

}
