package com.acme.iot.releaseinfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations surface end to end: probes, health details, Prometheus metrics, audit lines and the ops
 * counter, trace ids in log lines, and no secret in any log line.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OperationsSurfaceIntegrationTests {

	static final String ADMIN_TOKEN = "test-admin-token";

	@LocalServerPort
	int port;

	ApiClient anonymous;

	ApiClient admin;

	@BeforeEach
	void setUp() {
		this.anonymous = new ApiClient(this.port, null);
		this.admin = this.anonymous.as(ADMIN_TOKEN);
	}

	@Test
	void answersLivenessAndReadinessProbesToAnyone() {
		Response liveness = this.anonymous.get("/actuator/health/liveness");
		Response readiness = this.anonymous.get("/actuator/health/readiness");

		assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
		assertThat(liveness.json().get("status").stringValue()).isEqualTo("UP");
		assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
		assertThat(readiness.json().get("status").stringValue()).isEqualTo("UP");
		assertThat(readiness.json().has("components")).isFalse();
	}

	@Test
	void showsHealthDetailsToAdminsOnly() {
		String reader = this.admin.issueToken("READER");

		JsonNode anonymousView = this.anonymous.get("/actuator/health").json();
		JsonNode readerView = this.anonymous.as(reader).get("/actuator/health").json();
		JsonNode adminView = this.admin.get("/actuator/health").json();
		JsonNode adminReadiness = this.admin.get("/actuator/health/readiness").json();

		assertThat(anonymousView.get("status").stringValue()).isEqualTo("UP");
		assertThat(anonymousView.has("components")).isFalse();
		assertThat(readerView.has("components")).isFalse();
		assertThat(adminView.get("components").get("db").get("status").stringValue()).isEqualTo("UP");
		assertThat(adminReadiness.get("components").propertyNames()).contains("db", "readinessState");
	}

	@Test
	void exposesTheNamedMetricsToPrometheus() {
		this.anonymous.get("/api/release");
		this.admin.get("/actuator/metrics");

		Response anonymousScrape = this.anonymous.get("/actuator/prometheus");
		Response scrape = this.admin.get("/actuator/prometheus");

		assertThat(anonymousScrape.status()).isEqualTo(401);
		assertThat(scrape.status()).isEqualTo(200);
		String metrics = scrape.body();
		for (String le : List.of("0.05", "0.1", "0.25", "0.5", "1.0")) {
			assertThat(metrics).contains("http_server_requests_seconds_bucket{error=\"none\",exception=\"none\","
					+ "method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/release\",le=\"" + le + "\"}");
		}
		assertThat(metrics).contains("http_server_requests_seconds_count{", "hikaricp_connections_active{",
				"hikaricp_connections_idle{", "hikaricp_connections_pending{", "hikaricp_connections_max{",
				"jvm_memory_used_bytes{", "jvm_threads_live_threads ", "jvm_gc_max_data_size_bytes ", "process_cpu_usage ",
				"system_cpu_usage ", "disk_free_bytes{", "disk_total_bytes{", "application_ready_time_seconds{",
				"iot_release_info{",
				"iot_ops_requests_total{caller=\"token:bootstrap-admin\",endpoint=\"metrics\",operation=\"read\"}");
	}

	@Test
	void auditsEveryAdminCallWithItsCallerAndCountsIt(CapturedOutput output) {
		String reader = this.admin.issueToken("READER");
		String readerName = this.admin.get("/api/tokens").json().valueStream()
			.filter(token -> token.get("role").stringValue().equals("READER"))
			.map(token -> token.get("name").stringValue())
			.reduce((first, second) -> second)
			.orElseThrow();

		assertThat(this.admin.get("/actuator/modulith").status()).isEqualTo(200);
		assertThat(this.anonymous.get("/actuator/metrics").status()).isEqualTo(401);
		assertThat(this.anonymous.as(reader).post("/api/tokens", "{\"name\":\"sneaky\",\"role\":\"ADMIN\"}").status())
			.isEqualTo(403);
		assertThat(this.admin.get("/actuator/no-such-endpoint").status()).isEqualTo(403);
		this.anonymous.get("/actuator/health");
		this.anonymous.get("/actuator/info");

		assertThat(output.getOut()).contains("Ops call POST /api/tokens by token:bootstrap-admin answered 201",
				"Ops call GET /actuator/modulith by token:bootstrap-admin answered 200",
				"Ops call GET /actuator/metrics by anonymous answered 401",
				"Ops call POST /api/tokens by token:" + readerName + " answered 403",
				"Ops call GET /actuator/no-such-endpoint by token:bootstrap-admin answered 403");
		assertThat(output.getOut()).doesNotContain("Ops call GET /actuator/health", "Ops call GET /actuator/info",
				"Ops call GET /api/tokens");
		String metrics = this.admin.get("/actuator/prometheus").body();
		assertThat(metrics).contains(
				"iot_ops_requests_total{caller=\"token:bootstrap-admin\",endpoint=\"tokens\",operation=\"write\"}",
				"iot_ops_requests_total{caller=\"token:bootstrap-admin\",endpoint=\"modulith\",operation=\"read\"}",
				"iot_ops_requests_total{caller=\"anonymous\",endpoint=\"metrics\",operation=\"read\"}",
				"iot_ops_requests_total{caller=\"token:" + readerName + "\",endpoint=\"tokens\",operation=\"write\"}",
				"iot_ops_requests_total{caller=\"token:bootstrap-admin\",endpoint=\"other\",operation=\"read\"}");
	}

	@Test
	void writesTheTraceIdOfARequestIntoItsLogLines(CapturedOutput output) throws Exception {
		SecureRandom random = new SecureRandom();
		String traceId = HexFormat.of().formatHex(random.generateSeed(16));
		String parentSpanId = HexFormat.of().formatHex(random.generateSeed(8));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/metrics"))
			.header("Authorization", "Bearer " + ADMIN_TOKEN)
			.header("traceparent", "00-" + traceId + "-" + parentSpanId + "-01")
			.GET()
			.build();

		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(output.getOut().lines().filter(line -> line.contains("Ops call GET /actuator/metrics")))
			.anySatisfy(line -> assertThat(line).contains("\"traceId\":\"" + traceId + "\"").contains("\"spanId\":\""));
	}

	@Test
	void keepsEverySecretOutOfTheLogs(CapturedOutput output) throws IOException {
		List<String> secrets = new ArrayList<>(List.of(ADMIN_TOKEN));
		String operator = this.admin.issueToken("OPERATOR");
		String reader = this.admin.issueToken("READER");
		secrets.addAll(List.of(operator, reader));
		Response sensor = this.anonymous.as(operator).post("/api/sensors", """
				{"name":"Secret scan","kind":"CO2","site":"site-%s"}""".formatted(UUID.randomUUID()));
		assertThat(sensor.status()).as(sensor.toString()).isEqualTo(201);
		String deviceToken = sensor.json().get("deviceToken").stringValue();
		String sensorId = sensor.json().get("id").stringValue();
		secrets.add(deviceToken);
		Response rekeyed = this.anonymous.as(operator).post("/api/sensors/" + sensorId + "/device-token", null);
		String newDeviceToken = rekeyed.json().get("deviceToken").stringValue();
		secrets.add(newDeviceToken);
		String revoked = this.admin.issueToken("READER");
		secrets.add(revoked);
		String revokedId = this.admin.get("/api/tokens").json().valueStream()
			.filter(token -> !token.get("revoked").booleanValue())
			.reduce((first, second) -> second).orElseThrow().get("id").stringValue();
		this.admin.delete("/api/tokens/" + revokedId);

		for (String secret : List.copyOf(secrets)) {
			ApiClient caller = this.anonymous.as(secret);
			caller.get("/api/sensors");
			caller.get("/api/sensors/" + sensorId);
			caller.get("/actuator/metrics");
			caller.get("/actuator/health");
			caller.post("/api/tokens", "{\"name\":\"x\",\"role\":\"READER\"}");
			caller.post("/api/sensors", "{\"token\":\"" + secret + "\", broken");
			caller.patch("/api/sensors/" + sensorId, "{\"name\":\"" + secret + "\",\"unknown\":\"" + secret + "\"}");
			this.anonymous.as(secret + "x").get("/api/sensors");
			this.anonymous.as("Basic " + secret).get("/actuator/modulith");
			this.anonymous.get("/api/sensors?access_token=" + secret);
		}

		String logs = output.getAll();
		assertThat(logs).contains("Ops call");
		for (String secret : secrets) {
			assertThat(logs).as("logs leak a secret").doesNotContain(secret);
		}
	}


}
