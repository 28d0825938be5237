package com.acme.iot.sensors;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SensorApiIntegrationTests {

	@LocalServerPort
	int port;

	ApiClient admin;

	ApiClient operator;

	ApiClient reader;

	String site;

	@BeforeEach
	void setUp() {
		this.admin = new ApiClient(this.port, "test-admin-token");
		this.operator = this.admin.as(this.admin.issueToken("OPERATOR"));
		this.reader = this.admin.as(this.admin.issueToken("READER"));
		this.site = "site-" + UUID.randomUUID();
	}

	@Test
	void registersSensorAndShowsItsDeviceTokenOnlyOnce() {
		Response created = this.operator.post("/api/sensors", """
				{"name":"Greenhouse north – air","kind":"TEMPERATURE","site":"%s",
				 "location":{"latitude":48.85,"longitude":2.35,"description":"row 3"},
				 "offlineAfter":"PT10M","labels":{"building":"B"}}""".formatted(this.site));

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode sensor = created.json();
		String id = sensor.get("id").stringValue();
		assertThat(created.header("Location")).hasValue("/api/sensors/" + id);
		assertThat(sensor.get("name").stringValue()).isEqualTo("Greenhouse north – air");
		assertThat(sensor.get("unit").stringValue()).isEqualTo("°C");
		assertThat(sensor.get("status").stringValue()).isEqualTo("ACTIVE");
		assertThat(sensor.get("offlineAfter").stringValue()).isEqualTo("PT10M");
		assertThat(sensor.get("location").get("latitude").doubleValue()).isEqualTo(48.85);
		assertThat(sensor.get("labels").get("building").stringValue()).isEqualTo("B");
		assertThat(sensor.get("createdAt").stringValue()).endsWith("Z");
		assertThat(sensor.get("deviceToken").stringValue()).startsWith("dev_");

		Response read = this.reader.get("/api/sensors/" + id);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().has("deviceToken")).isFalse();
		assertThat(read.json().get("name").stringValue()).isEqualTo("Greenhouse north – air");
	}

	@Test
	void defaultsOfflineAfterToTenMinutes() {
		JsonNode sensor = register("Hall", "CO2").json();
		assertThat(sensor.get("offlineAfter").stringValue()).isEqualTo("PT10M");
		assertThat(sensor.get("unit").stringValue()).isEqualTo("ppm");
		assertThat(sensor.get("labels").isEmpty()).isTrue();
	}

	@Test
	void listsSensorsSortedByNameWithFiltersAndPages() {
		register("charlie", "CO2");
		register("Alpha", "TEMPERATURE");
		register("bravo", "TEMPERATURE");
		String decommissioned = register("delta", "HUMIDITY").json().get("id").stringValue();
		assertThat(this.operator.delete("/api/sensors/" + decommissioned).status()).isEqualTo(204);

		JsonNode all = this.reader.get("/api/sensors?site=" + this.site).json();
		assertThat(all.get("total").longValue()).isEqualTo(4);
		assertThat(names(all)).containsExactly("Alpha", "bravo", "charlie", "delta");

		JsonNode temperatures = this.reader.get("/api/sensors?site=" + this.site + "&kind=TEMPERATURE").json();
		assertThat(names(temperatures)).containsExactly("Alpha", "bravo");

		JsonNode active = this.reader.get("/api/sensors?site=" + this.site + "&status=ACTIVE").json();
		assertThat(names(active)).containsExactly("Alpha", "bravo", "charlie");

		JsonNode secondPage = this.reader.get("/api/sensors?site=" + this.site + "&page=1&size=2").json();
		assertThat(names(secondPage)).containsExactly("charlie", "delta");
		assertThat(secondPage.get("page").intValue()).isEqualTo(1);
		assertThat(secondPage.get("size").intValue()).isEqualTo(2);
		assertThat(secondPage.get("total").longValue()).isEqualTo(4);
	}

	@Test
	void servesTheSensorKindsWithUnitsAndRanges() {
		JsonNode kinds = this.reader.get("/api/sensor-kinds").json();
		assertThat(kinds.size()).isEqualTo(SensorKind.values().length);
		JsonNode humidity = kinds.valueStream()
			.filter(kind -> kind.get("kind").stringValue().equals("HUMIDITY"))
			.findFirst()
			.orElseThrow();
		assertThat(humidity.get("unit").stringValue()).isEqualTo("%RH");
		assertThat(humidity.get("min").doubleValue()).isZero();
		assertThat(humidity.get("max").doubleValue()).isEqualTo(100);
	}

	@Test
	void refusesASecondSensorWithTheSameNameAtTheSameSite() {
		register("Boiler room", "TEMPERATURE");

		Response clash = this.operator.post("/api/sensors",
				"{\"name\":\"boiler ROOM\",\"kind\":\"HUMIDITY\",\"site\":\"" + this.site + "\"}");
		assertProblem(clash, 409);

		Response elsewhere = this.operator.post("/api/sensors",
				"{\"name\":\"Boiler room\",\"kind\":\"HUMIDITY\",\"site\":\"" + this.site + "-b\"}");
		assertThat(elsewhere.status()).isEqualTo(201);
	}

	@Test
	void rejectsInvalidSensorsNamingTheField() {
		assertField(this.operator.post("/api/sensors", body("\"kind\":\"PLASMA\"")), 400, "kind");
		assertField(this.operator.post("/api/sensors",
				body("\"kind\":\"CO2\",\"location\":{\"latitude\":95,\"longitude\":2}")), 422, "location.latitude");
		assertField(this.operator.post("/api/sensors",
				body("\"kind\":\"CO2\",\"location\":{\"latitude\":45,\"longitude\":-181}")), 422, "location.longitude");
		assertField(this.operator.post("/api/sensors", body("\"kind\":\"CO2\",\"offlineAfter\":\"-PT5M\"")), 422,
				"offlineAfter");
		assertField(this.operator.post("/api/sensors", body("\"kind\":\"CO2\",\"offlineAfter\":\"ten minutes\"")),
				400, "offlineAfter");
		assertField(this.operator.post("/api/sensors", body("\"kind\":\"CO2\",\"colour\":\"red\"")), 400, "colour");
		assertField(this.operator.post("/api/sensors",
				"{\"name\":\"" + "x".repeat(101) + "\",\"kind\":\"CO2\",\"site\":\"" + this.site + "\"}"), 422,
				"name");
		assertField(this.operator.post("/api/sensors", "{\"kind\":\"CO2\",\"site\":\"" + this.site + "\"}"), 422,
				"name");
		assertField(this.operator.post("/api/sensors", "{\"name\":\"x\",\"site\":\"" + this.site + "\"}"), 422,
				"kind");
		assertField(this.operator.post("/api/sensors", body("\"kind\":\"CO2\",\"location\":{\"latitude\":\"north\"}")),
				400, "location.latitude");
		assertProblem(this.operator.post("/api/sensors", "{\"name\": "), 400);
		assertProblem(this.operator.post("/api/sensors", "[1,2]"), 400);
		assertThat(this.reader.get("/api/sensors?site=" + this.site).json().get("total").longValue()).isZero();
	}

	@Test
	void rejectsBadQueryParametersNamingThem() {
		assertField(this.reader.get("/api/sensors?kind=PLASMA"), 400, "kind");
		assertField(this.reader.get("/api/sensors?size=0"), 400, "size");
		assertField(this.reader.get("/api/sensors?size=201"), 400, "size");
		assertField(this.reader.get("/api/sensors?page=-1"), 400, "page");
		assertField(this.reader.get("/api/sensors/not-a-uuid"), 400, "id");
	}

	@Test
	void answersNotFoundForAnUnknownSensor() {
		Response missing = this.reader.get("/api/sensors/" + UUID.randomUUID());
		assertProblem(missing, 404);
		assertProblem(this.operator.delete("/api/sensors/" + UUID.randomUUID()), 404);
		assertProblem(this.operator.patch("/api/sensors/" + UUID.randomUUID(), "{\"name\":\"x\"}"), 404);
	}

	@Test
	void patchesWithJsonMergePatchSemantics() {
		String id = this.operator.post("/api/sensors", """
				{"name":"Cellar","kind":"HUMIDITY","site":"%s","location":{"latitude":1,"longitude":2},
				 "labels":{"building":"B","floor":"-1"}}""".formatted(this.site)).json().get("id").stringValue();

		Response patched = this.operator.patch("/api/sensors/" + id, """
				{"name":"Cellar east","labels":{"floor":null,"zone":"wine"},"location":{"description":"shelf"},
				 "offlineAfter":"PT1H"}""");

		assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
		JsonNode sensor = patched.json();
		assertThat(sensor.get("name").stringValue()).isEqualTo("Cellar east");
		assertThat(sensor.get("labels").properties()).hasSize(2);
		assertThat(sensor.get("labels").get("zone").stringValue()).isEqualTo("wine");
		assertThat(sensor.get("location").get("latitude").doubleValue()).isEqualTo(1);
		assertThat(sensor.get("location").get("description").stringValue()).isEqualTo("shelf");
		assertThat(sensor.get("offlineAfter").stringValue()).isEqualTo("PT1H");

		JsonNode removed = this.operator.patch("/api/sensors/" + id, "{\"location\":null,\"offlineAfter\":null}")
			.json();
		assertThat(removed.get("location").isNull()).isTrue();
		assertThat(removed.get("offlineAfter").stringValue()).isEqualTo("PT10M");

		assertField(this.operator.patch("/api/sensors/" + id, "{\"kind\":\"CO2\"}"), 422, "kind");
		assertField(this.operator.patch("/api/sensors/" + id, "{\"name\":null}"), 422, "name");
		assertField(this.operator.patch("/api/sensors/" + id, "{\"name\":42}"), 400, "name");
		assertField(this.operator.patch("/api/sensors/" + id, "{\"colour\":\"red\"}"), 400, "colour");
		assertField(this.operator.patch("/api/sensors/" + id, "{\"offlineAfter\":\"-PT1M\"}"), 422, "offlineAfter");
		assertThat(this.reader.get("/api/sensors/" + id).json().get("name").stringValue()).isEqualTo("Cellar east");
	}

	@Test
	void decommissionsASensorKeepingItReadable() {
		String id = register("Old probe", "NOISE").json().get("id").stringValue();

		assertThat(this.operator.delete("/api/sensors/" + id).status()).isEqualTo(204);
		assertThat(this.operator.delete("/api/sensors/" + id).status()).isEqualTo(204);

		JsonNode sensor = this.reader.get("/api/sensors/" + id).json();
		assertThat(sensor.get("status").stringValue()).isEqualTo("DECOMMISSIONED");
		assertProblem(this.operator.patch("/api/sensors/" + id, "{\"name\":\"New\"}"), 409);
		assertProblem(this.operator.post("/api/sensors/" + id + "/device-token", null), 409);
	}

	@Test
	void refusesTheDeviceTokenOfADecommissionedSensorAs401() {
		JsonNode sensor = register("Retired probe", "CO2").json();
		String id = sensor.get("id").stringValue();
		ApiClient device = this.admin.as(sensor.get("deviceToken").stringValue());
		assertThat(device.post("/api/sensors/" + id + "/readings", "{\"value\":400}").status()).isEqualTo(200);

		assertThat(this.operator.delete("/api/sensors/" + id).status()).isEqualTo(204);

		Response refused = device.post("/api/sensors/" + id + "/readings", "{\"value\":410}");
		assertProblem(refused, 401);
		assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(
				challenge -> assertThat(challenge).contains("invalid_token"));
	}

	@Test
	void rotatesTheDeviceTokenSoTheOldOneStopsWorking() {
		JsonNode sensor = register("Door", "LIGHT").json();
		String id = sensor.get("id").stringValue();
		ApiClient oldDevice = this.admin.as(sensor.get("deviceToken").stringValue());
		assertThat(oldDevice.get("/api/sensors").status()).as("authenticated, but a device may not read").isEqualTo(403);

		Response rotated = this.operator.post("/api/sensors/" + id + "/device-token", null);
		assertThat(rotated.status()).isEqualTo(200);
		assertThat(rotated.json().get("sensorId").stringValue()).isEqualTo(id);
		ApiClient newDevice = this.admin.as(rotated.json().get("deviceToken").stringValue());

		assertProblem(oldDevice.get("/api/sensors"), 401);
		assertThat(newDevice.get("/api/sensors").status()).isEqualTo(403);
	}

	@Test
	void enforcesRolesWithProblemResponses() {
		Response anonymous = this.admin.as(null).get("/api/sensors");
		assertProblem(anonymous, 401);
		assertThat(anonymous.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
		assertProblem(this.admin.as("iot_not-a-real-token").get("/api/sensors"), 401);
		assertProblem(this.reader.post("/api/sensors", body("\"kind\":\"CO2\"")), 403);
		assertProblem(this.reader.delete("/api/sensors/" + UUID.randomUUID()), 403);
		assertProblem(this.operator.get("/api/tokens"), 403);
		assertProblem(this.reader.get("/actuator/prometheus"), 403);
		assertProblem(this.admin.as(null).get("/actuator/prometheus"), 401);
		assertThat(this.admin.get("/api/tokens").status()).isEqualTo(200);
	}

	@Test
	void keepsHealthAndApiDocumentationPublic() {
		ApiClient anonymous = this.admin.as(null);
		Response health = anonymous.get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").stringValue()).isEqualTo("UP");
		assertThat(health.json().has("components")).as("details are for admins").isFalse();
		assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);

		Response docs = anonymous.get("/v3/api-docs");
		assertThat(docs.status()).isEqualTo(200);
		JsonNode openApi = docs.json();
		assertThat(openApi.get("openapi").stringValue()).startsWith("3.1");
		assertThat(openApi.get("components").get("securitySchemes").has("apiToken")).isTrue();
		assertThat(openApi.get("components").get("securitySchemes").has("oauth2Jwt")).isTrue();
		assertThat(openApi.get("paths").has("/api/sensors/{id}")).isTrue();
		assertThat(anonymous.get("/swagger-ui.html").status()).isIn(200, 302);
	}

	@Test
	void managesApiTokensWhoseSecretIsShownOnce() {
		Response issued = this.admin.post("/api/tokens", "{\"name\":\"dashboard\",\"role\":\"READER\"}");
		assertThat(issued.status()).isEqualTo(201);
		String tokenId = issued.json().get("id").stringValue();
		String secret = issued.json().get("token").stringValue();
		assertThat(secret).startsWith("iot_");

		JsonNode listed = this.admin.get("/api/tokens").json();
		JsonNode mine = listed.valueStream()
			.filter(token -> token.get("id").stringValue().equals(tokenId))
			.findFirst()
			.orElseThrow();
		assertThat(mine.has("token")).isFalse();
		assertThat(this.admin.get("/api/tokens").body()).doesNotContain(secret);

		ApiClient dashboard = this.admin.as(secret);
		assertThat(dashboard.get("/api/sensors").status()).isEqualTo(200);
		assertThat(this.admin.delete("/api/tokens/" + tokenId).status()).isEqualTo(204);
		assertProblem(dashboard.get("/api/sensors"), 401);

		assertField(this.admin.post("/api/tokens", "{\"name\":\"x\",\"role\":\"ROOT\"}"), 400, "role");
		assertField(this.admin.post("/api/tokens", "{\"name\":\"\",\"role\":\"READER\"}"), 422, "name");
	}


	private Response register(String name, String kind) {
		Response created = this.operator.post("/api/sensors",
				"{\"name\":\"" + name + "\",\"kind\":\"" + kind + "\",\"site\":\"" + this.site + "\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created;
	}

	private String body(String fields) {
		return "{\"name\":\"probe\",\"site\":\"" + this.site + "\"," + fields + "}";
	}

	private static java.util.List<String> names(JsonNode page) {
		return page.get("items").valueStream().map(item -> item.get("name").stringValue()).toList();
	}

	static void assertProblem(Response response, int status) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("status").intValue()).isEqualTo(status);
		assertThat(problem.get("title").stringValue()).isNotBlank();
		assertThat(problem.has("detail")).isTrue();
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
	}

	static void assertField(Response response, int status, String field) {
		assertProblem(response, status);
		JsonNode errors = response.json().get("errors");
		assertThat(errors).as(response.toString()).isNotNull();
		assertThat(errors.valueStream().map(error -> error.get("field").stringValue())).as(response.toString())
			.contains(field);
	}

}
