package com.acme.iot;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client mistakes an outside probe turned into 500s, each with a 20 KB stack trace counting toward the
 * 5xx alert: they answer 400 or 422, before any SQL runs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ClientMistakesIntegrationTests {

	@LocalServerPort
	int port;

	ApiClient admin;

	@BeforeEach
	void setUp() {
		this.admin = new ApiClient(this.port, "test-admin-token");
	}

	@Test
	void answersMalformedPercentEncodingWith400(CapturedOutput output) throws Exception {
		for (String path : List.of("/api/sensors", "/api/alerts", "/api/readings/latest")) {
			for (String query : List.of("?site=%zz", "?limit=%zz", "?site=%C0%AF", "?site=%E2%82", "?site=%",
					"?site=%00", "?%zz=1")) {
				RawHttp.Answer answer = RawHttp.send(this.port, "GET " + path + query
						+ " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-admin-token\r\nConnection: close\r\n\r\n");

				assertThat(answer.status()).as(path + query + " " + answer).isEqualTo(400);
				assertThat(answer.head()).containsIgnoringCase("Content-Type: application/problem+json");
			}
		}
		assertThat(output.getAll()).doesNotContain("InvalidParameterException").doesNotContain("Unexpected failure");
	}

	@Test
	void answersInstantsOutsideWhatPostgresStoresWith400BeforeAnySqlRuns(CapturedOutput output) {
		String sensor = this.admin.post("/api/sensors", """
				{"name":"far-%s","kind":"CO2","site":"far"}""".formatted(UUID.randomUUID())).json().get("id").stringValue();
		String readings = "/api/sensors/" + sensor + "/readings";
		String min = "-999999999-01-01T00:00:00Z";
		String max = "%2B999999999-12-31T00:00:00Z";

		List<Response> answers = List.of(this.admin.get(readings + "?from=" + min + "&to=" + max),
				this.admin.get(readings + "?to=" + max), this.admin.get(readings + "?from=-4714-11-24T00:00:00Z"),
				this.admin.get(readings + "/aggregate?from=" + min + "&to=" + max + "&interval=P1M"),
				this.admin.get(readings + "/aggregate?to=%2B294277-01-01T00:00:00Z"),
				this.admin.delete(readings + "?before=" + max), this.admin.delete(readings + "?before=" + min));

		for (Response answer : answers) {
			assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
			assertThat(answer.contentType()).startsWith("application/problem+json");
		}
		assertThat(output.getAll()).doesNotContain("SQL [").doesNotContain("out of range");
	}

	@Test
	void answersOverLongAndOverPreciseNumbersWith4xx(CapturedOutput output) {
		ApiClient operator = this.admin;
		Response sensor = operator.post("/api/sensors", """
				{"name":"digits-%s","kind":"TEMPERATURE","site":"digits"}""".formatted(UUID.randomUUID()));
		String id = sensor.json().get("id").stringValue();
		ApiClient device = this.admin.as(sensor.json().get("deviceToken").stringValue());
		String digits = "1".repeat(400);

		List<Response> answers = List.of(device.post("/api/sensors/" + id + "/readings", "{\"value\":" + digits + "}"),
				device.post("/api/sensors/" + id + "/readings", "{\"value\":-" + digits + ".5}"),
				device.post("/api/sensors/" + id + "/readings", "{\"value\":0." + digits + "}"),
				device.post("/api/sensors/" + id + "/readings", "{\"value\":2" + "0".repeat(1200) + "}"),
				operator.post("/api/readings", "[{\"sensorId\":\"" + id + "\",\"value\":" + digits + "}]"),
				operator.post("/api/alert-rules", """
						{"name":"d","scope":{"sensorId":"%s"},"condition":"ABOVE","threshold":%s,"severity":"MAJOR"}"""
					.formatted(id, digits)),
				operator.post("/api/sensors", """
						{"name":"d","kind":"CO2","site":"d","location":{"latitude":%s,"longitude":0.%s}}"""
					.formatted(digits, digits)));

		for (Response answer : answers) {
			assertThat(answer.status()).as(answer.toString()).isBetween(400, 422).isNotEqualTo(401).isNotEqualTo(404);
			assertThat(answer.contentType()).startsWith("application/problem+json");
		}
		assertThat(operator.get("/api/sensors/" + id + "/readings/latest").status())
			.as("nothing was stored")
			.isEqualTo(404);
		assertThat(output.getAll()).doesNotContain("Unexpected failure");
	}

	@Test
	void readsAReadingValueWithTheUsualPrecision() {
		Response sensor = this.admin.post("/api/sensors", """
				{"name":"precise-%s","kind":"TEMPERATURE","site":"digits"}""".formatted(UUID.randomUUID()));
		String id = sensor.json().get("id").stringValue();
		ApiClient device = this.admin.as(sensor.json().get("deviceToken").stringValue());

		Response stored = device.post("/api/sensors/" + id + "/readings", "{\"value\":21.100000000000001}");

		assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
	}

}
