package com.acme.iot.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of malformed request, carrying secrets in its query string, headers and body: none of the
 * secrets may reach a log line, and none of the requests is a server error.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsIntegrationTests {

	@LocalServerPort
	int port;

	private final List<String> secrets = new ArrayList<>();

	@Test
	void writesNoSecretOfAMalformedRequestToTheLog(CapturedOutput output) throws Exception {
		Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
		String admin = "Authorization: Bearer test-admin-token\r\n";
		// Query strings Tomcat cannot decode: a 400 problem, before anything reads them.
		answers.put("bad escape", get("/api/sensors?access_token=" + secret() + "%zz", admin));
		answers.put("bad escape, anonymous", get("/api/sensors?access_token=" + secret() + "%zz", ""));
		answers.put("overlong UTF-8", get("/api/alerts?site=" + secret() + "%C0%AF", admin));
		answers.put("truncated UTF-8", get("/api/readings/latest?token=" + secret() + "%E2%82", admin));
		answers.put("bad escape in a name", get("/api/sensors?" + secret() + "%4=1", admin));
		answers.put("lone percent", get("/api/sensors?site=x&token=" + secret() + "%", admin));
		answers.put("NUL", get("/api/sensors?site=" + secret() + "%00", admin));
		// Request lines and headers Tomcat refuses itself.
		answers.put("invalid character in target", get("/api/sensors?access_token=" + secret() + "{x}", admin));
		answers.put("control character in a header", get("/api/sensors", "Authorization: Bearer " + secret() + "\u0001\r\n"));
		answers.put("oversized header", get("/api/sensors", admin + "X-Api-Key: " + secret() + "y".repeat(20_000) + "\r\n"));
		answers.put("oversized request line", get("/api/sensors?q=" + secret() + "y".repeat(20_000), admin));
		// Credentials that do not authenticate.
		answers.put("unknown API token", get("/api/sensors", "Authorization: Bearer iot_" + secret() + "\r\n"));
		answers.put("unknown device token", get("/api/sensors", "Authorization: Bearer dev_" + secret() + "\r\n"));
		answers.put("malformed bearer", get("/api/sensors", "Authorization: Bearer " + secret() + " and more\r\n"));
		answers.put("JWT-shaped token", get("/api/sensors", "Authorization: Bearer eyJ" + secret() + ".eyJ.c2ln\r\n"));
		answers.put("basic credentials", get("/api/sensors", "Authorization: Basic "
				+ Base64.getEncoder().encodeToString((secret() + ":" + secret()).getBytes(StandardCharsets.UTF_8)) + "\r\n"));
		answers.put("cookie", get("/api/sensors", admin + "Cookie: session=" + secret() + "; broken=\"" + secret() + "\r\n"));
		answers.put("forwarded headers", get("/v3/api-docs", "X-Forwarded-For: " + secret() + "\r\nX-Forwarded-Host: "
				+ secret() + ".example\r\nForwarded: for=" + secret() + "\r\n"));
		answers.put("secret as a path id", get("/api/sensors/" + secret(), admin));
		// Bodies that do not parse or do not validate.
		answers.put("unterminated JSON", post("/api/sensors", "application/json", "{\"name\":\"" + secret(), admin));
		answers.put("wrong type", post("/api/sensors", "application/json", "{\"name\":" + secret() + "}", admin));
		answers.put("unknown enum", post("/api/tokens", "application/json",
				"{\"name\":\"x\",\"role\":\"" + secret() + "\"}", admin));
		answers.put("bad reading item", post("/api/readings", "application/json",
				"[{\"sensorId\":\"" + secret() + "\",\"value\":\"" + secret() + "\"}]", admin));
		answers.put("400-digit reading", post("/api/readings", "application/json",
				"[{\"sensorId\":\"" + UUID.randomUUID() + "\",\"value\":" + "9".repeat(400) + ",\"x\":\"" + secret() + "\"}]",
				admin));
		answers.put("form body", post("/api/sensors", "application/x-www-form-urlencoded",
				"access_token=" + secret() + "%zz", admin));
		answers.put("bad channel URL", post("/api/notification-channels", "application/json",
				"{\"name\":\"x\",\"type\":\"WEBHOOK\",\"url\":\"http://u:" + secret() + "@[::1]:" + secret() + "/\"}",
				admin));

		answers.forEach((kind, answer) -> assertThat(answer.status()).as(kind + ": " + answer).isBetween(200, 499));
		for (String kind : List.of("bad escape", "bad escape, anonymous", "overlong UTF-8", "truncated UTF-8",
				"bad escape in a name", "lone percent", "NUL")) {
			RawHttp.Answer answer = answers.get(kind);
			assertThat(answer.status()).as(kind).isEqualTo(400);
			assertThat(answer.head()).as(kind).containsIgnoringCase("Content-Type: application/problem+json");
		}
		String log = output.getAll();
		for (String secret : this.secrets) {
			assertThat(log).as("the log").doesNotContain(secret);
		}
	}

	/**
	 * Tomcat logs the first unparseable request line of a day at INFO, with the request target in it; once
	 * another test has used up that one line, only the configured level keeps it from coming back.
	 */
	@Test
	void keepsTheLoggersThatQuoteRawRequestsBelowInfo() {
		for (String logger : List.of("org.apache.coyote.http11.Http11Processor",
				"org.apache.coyote.http11.Http11InputBuffer", "org.apache.tomcat.util.http.Parameters",
				"org.apache.tomcat.util.http.Rfc6265CookieProcessor")) {
			assertThat(LoggerFactory.getLogger(logger).isInfoEnabled()).as(logger).isFalse();
		}
	}

	private String secret() {
		String secret = "s3cr3t" + UUID.randomUUID().toString().replace("-", "");
		this.secrets.add(secret);
		return secret;
	}

	private RawHttp.Answer get(String target, String headers) throws Exception {
		return RawHttp.send(this.port, "127.0.0.1",
				("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Connection: close\r\n\r\n")
					.getBytes(StandardCharsets.UTF_8));
	}

	private RawHttp.Answer post(String target, String contentType, String body, String headers) throws Exception {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		return RawHttp.send(this.port, "127.0.0.1",
				("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Content-Type: " + contentType
						+ "\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n" + body)
					.getBytes(StandardCharsets.UTF_8));
	}

}
