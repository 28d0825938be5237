package com.acme.iot.delivery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traffic logic of deploy/deploy.sh and deploy/rollback.sh. A recording fake {@code az}
 * (src/test/resources/delivery/az) stands in for the Azure CLI, because no Azure subscription is reachable from
 * the build; it logs every call and keeps the traffic split like Container Apps would. A JDK HttpServer stands
 * in for the revisions' HTTP endpoints (release, health, backups, sensors), answering per Host header: the app's
 * FQDN serves the revision with the most traffic, {@code <app>---<label>.…} the labelled one.
 */
class DeployScriptsIntegrationTests {

	private static final String APP = "ca-iot-api-staging";

	private static final String FQDN = APP + ".happyhill-1234.westeurope.azurecontainerapps.io";

	private static final String NEW_REVISION = APP + "--v1-5-0";

	private final JsonMapper json = JsonMapper.builder().build();

	/** Version each revision reports on /api/release. */
	private final Map<String, String> versions = new ConcurrentHashMap<>();

	/** Revision each label points to. */
	private final Map<String, String> labels = new ConcurrentHashMap<>();

	private volatile String oldestCompatibleRelease = "1.0.0";

	private volatile boolean candidateHealthy = true;

	@TempDir
	Path dir;

	private HttpServer server;

	private Path calls;

	@BeforeEach
	void startFakes() throws IOException {
		ExternalTools.require("jq");
		ExternalTools.require("curl");
		calls = dir.resolve("calls.log");
		Files.writeString(calls, "");
		Files.writeString(dir.resolve("fqdn"), FQDN + "\n");
		Path bin = Files.createDirectories(dir.resolve("bin"));
		Files.copy(Path.of("src/test/resources/delivery/az"), bin.resolve("az"));
		Files.setPosixFilePermissions(bin.resolve("az"), PosixFilePermissions.fromString("rwxr-xr-x"));
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", this::serve);
		server.start();
	}

	@AfterEach
	void stopServer() {
		server.stop(0);
	}

	@Test
	void deployBacksUpThenShiftsTrafficFromZeroThroughCanaryToTheNewRevision() throws Exception {
		traffic(Map.of(APP + "--r1", 100));
		versions.put(APP + "--r1", "1.4.0");
		versions.put(NEW_REVISION, "1.5.0");
		labels.put("candidate", NEW_REVISION);

		Result result = run("deploy/deploy.sh", "--environment", "staging", "--image", "ghcr.io/acme/iot-api:1.5.0",
				"--token", "t0ken", "--canary-seconds", "0", "--revision-suffix", "v1-5-0", "--smoke-deadline", "20");

		assertThat(result.exitCode()).as(result.output()).isZero();
		List<String> log = log();
		assertThat(trafficSplits(log)).containsExactly(
				Map.of(APP + "--r1", 100),
				Map.of(APP + "--r1", 90, NEW_REVISION, 10),
				Map.of(APP + "--r1", 0, NEW_REVISION, 100));
		int backup = indexOf(log, "http POST /actuator/backups " + FQDN);
		int update = indexOf(log, "az containerapp update");
		int candidateSmokeTest = indexOf(log, "http GET /api/release " + APP + "---candidate.");
		int canary = indexOf(log, NEW_REVISION + "=10 ");
		assertThat(backup).isNotNegative().isLessThan(update);
		assertThat(log.get(update)).contains("--image ghcr.io/acme/iot-api:1.5.0", "--revision-suffix v1-5-0");
		assertThat(candidateSmokeTest).isGreaterThan(update).isLessThan(canary);
		assertThat(log).noneMatch(line -> line.contains("deactivate"));
		assertThat(Files.readString(dir.resolve("backup-request.json"))).contains("\"trigger\":\"PRE_DEPLOY\"");
	}

	@Test
	void deployPutsTrafficBackOnThePreviousRevisionWhenTheCandidateFailsItsSmokeTest() throws Exception {
		traffic(Map.of(APP + "--r1", 100));
		versions.put(APP + "--r1", "1.4.0");
		versions.put(NEW_REVISION, "1.5.0");
		labels.put("candidate", NEW_REVISION);
		candidateHealthy = false;

		Result result = run("deploy/deploy.sh", "--environment", "staging", "--image", "ghcr.io/acme/iot-api:1.5.0",
				"--token", "t0ken", "--canary-seconds", "0", "--revision-suffix", "v1-5-0", "--smoke-deadline", "3");

		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("moving 100% of the traffic back to " + APP + "--r1");
		List<Map<String, Integer>> splits = trafficSplits(log());
		assertThat(splits).allSatisfy(split -> assertThat(split.get(NEW_REVISION)).isNull());
		assertThat(splits.get(splits.size() - 1)).isEqualTo(Map.of(APP + "--r1", 100));
		assertThat(log()).anyMatch(line -> line.startsWith("az containerapp revision deactivate")
				&& line.contains("--revision " + NEW_REVISION));
	}

	@Test
	void deployPinsTheTrafficFirstWhenTheLatestRevisionRuleServesIt() throws Exception {
		Files.writeString(dir.resolve("traffic.json"), "[{\"latestRevision\": true, \"weight\": 100}]");
		Files.writeString(dir.resolve("latest-revision"), APP + "--initial\n");
		versions.put(APP + "--initial", "0.1.0");

		Result result = run("deploy/deploy.sh", "--environment", "staging", "--image",
				"ghcr.io/acme/iot-api@sha256:abcdef0123456789", "--expect-version", "1.5.0-RC.1-SNAPSHOT", "--token",
				"t0ken", "--canary-seconds", "0", "--smoke-deadline", "3", "--skip-backup");

		List<String> log = log();
		assertThat(log.get(indexOf(log, "az containerapp update"))).matches(
				".*--revision-suffix v1-5-0-rc-1-snapshot-\\d{8} .*");
		assertThat(trafficSplits(log).get(0)).isEqualTo(Map.of(APP + "--initial", 100));
		assertThat(indexOf(log, "az containerapp ingress traffic set")).isLessThan(indexOf(log, "az containerapp update"));
		assertThat(result.output()).contains("live revision: " + APP + "--initial");
		// no revision answers on the candidate label here: the smoke test fails and the traffic goes back
		assertThat(result.exitCode()).isNotZero();
		List<Map<String, Integer>> splits = trafficSplits(log);
		assertThat(splits.get(splits.size() - 1)).isEqualTo(Map.of(APP + "--initial", 100));
	}

	@Test
	void rollbackToPreviousPicksTheNewestRevisionCreatedBeforeTheLiveOne() throws Exception {
		revisions();
		traffic(Map.of(APP + "--r3", 100));

		Result result = run("deploy/rollback.sh", "--environment", "staging", "--token", "t0ken", "--deadline", "20");

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(log()).anyMatch(line -> line.startsWith("az containerapp revision activate")
				&& line.contains("--revision " + APP + "--r2"));
		assertThat(trafficSplits(log())).containsExactly(Map.of(APP + "--r2", 100, APP + "--r3", 0));
		assertThat(log()).anyMatch(line -> line.startsWith("http POST /api/sensors " + FQDN));
	}

	@Test
	void rollbackRefusesATargetOlderThanTheOldestCompatibleReleaseAndNamesTheRestoreCommand() throws Exception {
		revisions();
		traffic(Map.of(APP + "--r3", 100));
		oldestCompatibleRelease = "1.3.0";

		Result result = run("deploy/rollback.sh", "--environment", "staging", "--to", APP + "--r1");

		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.output()).contains("REFUSED", "1.2.0", "1.3.0", "runbooks/restore-database.md",
				"deploy/restore.sh --url http://" + FQDN);
		assertThat(trafficSplits(log())).isEmpty();
		assertThat(log()).as("a refused target is left as it was (inactive)")
			.noneMatch(line -> line.startsWith("az containerapp revision activate"));
	}

	@Test
	void rollbackReadsTheVersionThroughTheRevisionLabelWhenTheImageTagIsNoVersion() throws Exception {
		revisions();
		traffic(Map.of(APP + "--r4", 100));
		oldestCompatibleRelease = "1.5.0";
		labels.put("rollback", APP + "--r3");

		Result result = run("deploy/rollback.sh", "--environment", "staging");

		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(log()).anyMatch(line -> line.startsWith("http GET /api/release " + APP + "---rollback."));
		assertThat(result.output()).contains("REFUSED", "runs 1.4.0, older than 1.5.0");
	}

	@Test
	void forceRollsBackDespiteTheSchemaCheck() throws Exception {
		revisions();
		traffic(Map.of(APP + "--r3", 100));
		oldestCompatibleRelease = "1.3.0";

		Result result = run("deploy/rollback.sh", "--environment", "staging", "--to", APP + "--r1", "--force",
				"--deadline", "20");

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(trafficSplits(log())).containsExactly(Map.of(APP + "--r1", 100, APP + "--r3", 0));
		assertThat(log()).noneMatch(line -> line.startsWith("http POST /api/sensors"));
	}

	@Test
	void everyScriptExplainsItselfWithHelp() throws Exception {
		for (String script : List.of("deploy.sh", "rollback.sh", "smoke-test.sh", "backup.sh", "restore.sh")) {
			Result result = run("deploy/" + script, "--help");
			assertThat(result.exitCode()).as(script).isZero();
			assertThat(result.output()).as(script).contains("Usage: deploy/" + script);
		}
	}

	/** r1 (1.2.0) < r2 (1.3.0, inactive) < r3 (1.4.0, by digest) < r4 (1.5.0, by digest), by creation time. */
	private void revisions() throws IOException {
		Files.writeString(dir.resolve("revisions.json"), """
				[
				  {"name": "%1$s--r3", "properties": {"active": true, "createdTime": "2026-11-20T10:00:00+00:00",
				    "template": {"containers": [{"image": "ghcr.io/acme/iot-api@sha256:3333333333333333"}]}}},
				  {"name": "%1$s--r1", "properties": {"active": false, "createdTime": "2026-11-01T10:00:00+00:00",
				    "template": {"containers": [{"image": "ghcr.io/acme/iot-api:1.2.0"}]}}},
				  {"name": "%1$s--r4", "properties": {"active": true, "createdTime": "2026-11-22T10:00:00+00:00",
				    "template": {"containers": [{"image": "ghcr.io/acme/iot-api@sha256:4444444444444444"}]}}},
				  {"name": "%1$s--r2", "properties": {"active": false, "createdTime": "2026-11-10T10:00:00+00:00",
				    "template": {"containers": [{"image": "ghcr.io/acme/iot-api:v1.3.0"}]}}}
				]
				""".formatted(APP));
		versions.putAll(Map.of(APP + "--r1", "1.2.0", APP + "--r2", "1.3.0", APP + "--r3", "1.4.0", APP + "--r4",
				"1.5.0"));
	}

	private void traffic(Map<String, Integer> split) throws IOException {
		var entries = split.entrySet()
			.stream()
			.map(e -> Map.of("revisionName", e.getKey(), "weight", e.getValue()))
			.toList();
		Files.writeString(dir.resolve("traffic.json"), json.writeValueAsString(entries));
	}

	private void serve(HttpExchange exchange) throws IOException {
		String host = exchange.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "");
		String method = exchange.getRequestMethod();
		String path = exchange.getRequestURI().getPath();
		record("http " + method + " " + path + " " + host);
		byte[] requestBody = exchange.getRequestBody().readAllBytes();
		String revision = revisionServing(host);
		String version = versions.getOrDefault(revision, "0.0.0");
		boolean healthy = !(host.contains("---candidate.") && !candidateHealthy);
		boolean authenticated = "Bearer t0ken".equals(exchange.getRequestHeaders().getFirst("Authorization"));
		if (path.equals("/actuator/health")) {
			respond(exchange, healthy ? 200 : 503, healthy ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
		}
		else if (path.equals("/api/release")) {
			respond(exchange, 200, """
					{"version":"%s","revision":"%s","schema":{"version":"1","oldestCompatibleRelease":"%s"}}"""
				.formatted(version, revision, oldestCompatibleRelease));
		}
		else if (!authenticated) {
			respond(exchange, 401, "{}");
		}
		else if (method.equals("POST") && path.equals("/actuator/backups")) {
			Files.write(dir.resolve("backup-request.json"), requestBody);
			respond(exchange, 202, "{\"id\":\"b-1\",\"status\":\"RUNNING\"}");
		}
		else if (path.equals("/actuator/backups/b-1")) {
			respond(exchange, 200, "{\"id\":\"b-1\",\"status\":\"SUCCEEDED\"}");
		}
		else if (method.equals("GET") && path.equals("/api/sensors")) {
			respond(exchange, 200, "{\"items\":[],\"page\":0,\"size\":1,\"total\":0}");
		}
		else if (method.equals("POST") && path.equals("/api/sensors")) {
			respond(exchange, 201, "{\"id\":\"6f1c1b8e-0000-0000-0000-000000000001\"}");
		}
		else if (method.equals("DELETE") && path.startsWith("/api/sensors/")) {
			respond(exchange, 204, null);
		}
		else {
			respond(exchange, 404, "{}");
		}
	}

	/** The labelled revision for {@code <app>---<label>.…}, else the one with the most traffic. */
	private String revisionServing(String host) throws IOException {
		Matcher label = Pattern.compile("^[^.]+---([^.]+)\\.").matcher(host);
		if (label.find()) {
			return labels.getOrDefault(label.group(1), "none");
		}
		JsonNode traffic = json.readTree(Files.readString(dir.resolve("traffic.json")));
		return traffic.valueStream()
			.max((a, b) -> Integer.compare(a.get("weight").asInt(), b.get("weight").asInt()))
			.map(node -> node.get("revisionName").stringValue())
			.orElse("none");
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		if (body == null) {
			exchange.sendResponseHeaders(status, -1);
		}
		else {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, bytes.length);
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

	private synchronized void record(String line) throws IOException {
		Files.writeString(calls, line + "\n", StandardOpenOption.APPEND);
	}

	private List<String> log() throws IOException {
		return Files.readAllLines(calls);
	}

	private static int indexOf(List<String> log, String fragment) {
		for (int i = 0; i < log.size(); i++) {
			if (log.get(i).contains(fragment)) {
				return i;
			}
		}
		return -1;
	}

	/** The weights of every {@code az containerapp ingress traffic set}, each checked to sum to 100. */
	private static List<Map<String, Integer>> trafficSplits(List<String> log) {
		return log.stream().filter(line -> line.startsWith("az containerapp ingress traffic set")).map(line -> {
			Map<String, Integer> split = new LinkedHashMap<>();
			Matcher weight = Pattern.compile("(\\S+)=(\\d+)").matcher(line.replaceAll("--output \\S+", ""));
			while (weight.find()) {
				split.put(weight.group(1), Integer.parseInt(weight.group(2)));
			}
			assertThat(split.values().stream().mapToInt(Integer::intValue).sum()).as(line).isEqualTo(100);
			return Map.copyOf(split);
		}).toList();
	}

	private Result run(String script, String... args) throws Exception {
		String[] command = new String[args.length + 1];
		command[0] = Path.of(script).toAbsolutePath().toString();
		System.arraycopy(args, 0, command, 1, args.length);
		ProcessBuilder builder = new ProcessBuilder(Arrays.asList(command)).redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.put("PATH", dir.resolve("bin") + ":" + env.get("PATH"));
		env.put("FAKE_AZ_DIR", dir.toString());
		env.put("IOT_URL_SCHEME", "http");
		env.put("IOT_CURL_OPTS", "--connect-to ::127.0.0.1:" + server.getAddress().getPort());
		env.remove("IOT_ADMIN_TOKEN");
		env.remove("IOT_API_URL");
		env.remove("GITHUB_OUTPUT");
		Process process = builder.start();
		process.getOutputStream().close();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(script + " did not finish in 120 s");
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Result(process.exitValue(), output);
	}

	private record Result(int exitCode, String output) {
	}

}
