package com.acme.iot.platform.web;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;
import com.acme.iot.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class HardeningIntegrationTests {

	@LocalServerPort
	int port;

	ApiClient admin;

	@BeforeEach
	void setUp() {
		this.admin = new ApiClient(this.port, "test-admin-token");
	}

	@Test
	void refusesAnAnnouncedOversizedBodyWith413() {
		String huge = "{\"name\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";

		var response = this.admin.post("/api/sensors", huge);

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void refusesAChunkedOversizedBodyWith413() throws Exception {
		byte[] huge = ("{\"name\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.admin.baseUrl() + "/api/sensors"))
			.header("Authorization", "Bearer test-admin-token")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
			.build();

		HttpResponse<String> response = this.admin.http().send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
	}

	@Test
	void refusesDeeplyNestedJsonWithABadRequest() {
		String nested = "{\"name\":\"n\",\"kind\":\"CO2\",\"site\":\"deep\",\"labels\":" + "[".repeat(200)
				+ "]".repeat(200) + "}";

		var response = this.admin.post("/api/sensors", nested);

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void refusesFormAndMultipartBodiesWith415() {
		String hostile = "{\"value\":1e309,\"kind\":\"\\udfff\\ud800\",\"labels\":\"%s%n%x\"}";

		var form = this.admin.send("POST", "/api/sensors", hostile, "application/x-www-form-urlencoded");
		var multipart = this.admin.send("POST", "/api/sensors", hostile, "multipart/form-data; boundary=x");

		assertThat(form.status()).as(form.toString()).isEqualTo(415);
		assertThat(form.contentType()).startsWith("application/problem+json");
		assertThat(multipart.status()).as(multipart.toString()).isEqualTo(415);
	}

	@Test
	void sendsSecurityHeaders() {
		var response = this.admin.get("/api/sensors");

		assertThat(response.header("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(response.header("X-Frame-Options")).hasValue("DENY");
		assertThat(response.header("Cache-Control")).hasValueSatisfying(value -> assertThat(value).contains("no-store"));
		assertThat(response.header("Content-Security-Policy"))
			.hasValueSatisfying(value -> assertThat(value).contains("frame-ancestors 'none'"));
	}

	@Test
	void allowsCrossOriginCallsOnlyFromConfiguredOrigins() {
		ApiClient anonymous = this.admin.as(null);

		var allowed = anonymous.withHeader("Origin", "https://app.example.com")
			.withHeader("Access-Control-Request-Method", "GET")
			.send("OPTIONS", "/api/sensors", null, null);
		var refused = anonymous.withHeader("Origin", "https://evil.example.net")
			.withHeader("Access-Control-Request-Method", "GET")
			.send("OPTIONS", "/api/sensors", null, null);

		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.header("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.header("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void trustsTheForwardingHeadersOfNoProxyUnlessOneIsConfigured() {
		var response = this.admin.withHeader("X-Forwarded-Proto", "https")
			.withHeader("X-Forwarded-For", "203.0.113.5")
			.get("/api/sensors");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Strict-Transport-Security"))
			.as("a loopback peer claiming HTTPS is not taken at its word")
			.isEmpty();
	}

	@Test
	void describesItsServerWithoutEchoingTheHostTheClientSent() throws Exception {
		RawHttp.Answer answer = RawHttp.send(this.port, """
				GET /v3/api-docs HTTP/1.0\r
				Host: evil.example.net\r
				X-Forwarded-Host: evil-forwarded.example.net\r
				X-Forwarded-Proto: https\r
				\r
				""");

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).doesNotContain("evil");
		assertThat(ApiClient.JSON.readTree(answer.body()).get("servers").get(0).get("url").stringValue()).isEqualTo("/");
	}

}
