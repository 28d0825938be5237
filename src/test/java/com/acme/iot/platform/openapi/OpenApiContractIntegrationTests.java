package com.acme.iot.platform.openapi;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed contract, {@code src/main/openapi/openapi.json}, is what the service serves at
 * {@code /v3/api-docs}: the build generates the mobile app's client from it and publishes it as
 * {@code target/openapi.json}, so it must never lag behind the code. After a deliberate change of the API,
 * refresh it with
 * {@code ./mvnw test -Dtest=OpenApiContractIntegrationTests -Dopenapi.refresh=true -Dskip.npm -Dskip.image}
 * and review the diff like any other change of the contract.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenApiContractIntegrationTests {

	/** Where the contract is committed. */
	static final Path SNAPSHOT = Path.of("src/main/openapi/openapi.json");

	/** The version in the snapshot: Maven writes the build's version there when it copies it to target/. */
	static final String VERSION_PLACEHOLDER = "@project.version@";

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@LocalServerPort
	int port;

	@Test
	void servesExactlyTheCommittedContract() throws Exception {
		JsonNode served = new ApiClient(this.port, null).contract().document().deepCopy();
		assertThat(served.path("info").path("version").stringValue()).as("the build's version")
			.isNotBlank()
			.isNotEqualTo("dev");
		((ObjectNode) served.get("info")).put("version", VERSION_PLACEHOLDER);
		String text = JSON.writeValueAsString(served) + "\n";
		if (Boolean.getBoolean("openapi.refresh")) {
			Files.writeString(SNAPSHOT, text);
		}
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target/openapi-served.json"), text);

		assertThat(JSON.readTree(Files.readString(SNAPSHOT)))
			.as("src/main/openapi/openapi.json differs from the served document (target/openapi-served.json); if the "
					+ "change is intended, refresh it: ./mvnw test -Dtest=OpenApiContractIntegrationTests "
					+ "-Dopenapi.refresh=true -Dskip.npm -Dskip.image")
			.isEqualTo(served);
	}

}
