package com.acme.iot.releaseinfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/release} and {@code /actuator/info} against what the build wrote: the expected version and
 * commit are read from {@code build-info.properties} and {@code git.properties}, never written here.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ReleaseApiIntegrationTests {

	@LocalServerPort
	int port;

	ApiClient anonymous;

	@BeforeEach
	void setUp() {
		this.anonymous = new ApiClient(this.port, null);
	}

	@Test
	void describesTheRunningBuildToAnyone() throws IOException {
		Properties build = load("META-INF/build-info.properties");
		Properties git = load("git.properties");

		Response response = this.anonymous.get("/api/release");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode release = response.json();
		assertThat(release.propertyNames()).containsExactly("version", "commit", "buildTime", "revision",
				"environment", "schema");
		assertThat(release.get("version").stringValue()).isEqualTo(build.getProperty("build.version"));
		assertThat(Instant.parse(release.get("buildTime").stringValue()))
			.isEqualTo(Instant.parse(build.getProperty("build.time")));
		assertThat(release.get("commit").stringValue()).isEqualTo(git.getProperty("git.commit.id"))
			.matches("[0-9a-f]{40}");
		assertThat(release.get("revision").isNull()).isTrue();
		assertThat(release.get("environment").stringValue()).isEqualTo("local");
	}

	@Test
	void reportsTheSchemaVersionAndTheOldestReleaseItStillSupports() throws IOException {
		JsonNode schema = this.anonymous.get("/api/release").json().get("schema");

		assertThat(schema.get("version").stringValue()).isEqualTo(newestMigrationInTheSources());
		assertThat(schema.get("oldestCompatibleRelease").stringValue()).isEqualTo(newestContractReleaseInTheSources());
	}

	@Test
	void showsTheSameReleaseUnderActuatorInfoWithCommitTime() {
		JsonNode release = this.anonymous.get("/api/release").json();

		Response response = this.anonymous.get("/actuator/info");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode info = response.json();
		for (String field : List.of("version", "commit", "buildTime", "environment", "schema")) {
			assertThat(info.get(field)).as(field).isEqualTo(release.get(field));
		}
		assertThat(info.path("git").path("commit").path("time").isMissingNode()).isFalse();
	}

	@Test
	void marksTheRunningReleaseWithAGauge() throws IOException {
		Properties build = load("META-INF/build-info.properties");
		Properties git = load("git.properties");

		String metrics = new ApiClient(this.port, "test-admin-token").get("/actuator/prometheus").body();

		assertThat(metrics).containsPattern(Pattern.quote("iot_release_info{commit=\"" + git.getProperty("git.commit.id")
				+ "\",revision=\"none\",version=\"" + build.getProperty("build.version") + "\"} ") + "1(\\.0)?\n");
	}

	static Properties load(String resource) throws IOException {
		Properties properties = new Properties();
		try (InputStream input = new ClassPathResource(resource).getInputStream()) {
			properties.load(input);
		}
		return properties;
	}

	static String newestMigrationInTheSources() throws IOException {
		Pattern name = Pattern.compile("V([0-9]+)__.*\\.sql");
		try (Stream<Path> files = Files.walk(MigrationHeadersUnitTests.PROJECT_MIGRATIONS)) {
			return files.map(file -> name.matcher(file.getFileName().toString()))
				.filter(Matcher::matches)
				.map(matcher -> matcher.group(1))
				.max(Comparator.comparing(MigrationVersion::fromVersion))
				.orElseThrow();
		}
	}

	static String newestContractReleaseInTheSources() throws IOException {
		Pattern header = Pattern.compile("-- compatibility: contract since=(.+)");
		try (Stream<Path> files = Files.walk(MigrationHeadersUnitTests.PROJECT_MIGRATIONS)) {
			List<Path> sql = files.filter(file -> file.toString().endsWith(".sql")).toList();
			String newest = "0.1.0";
			for (Path file : sql) {
				Matcher matcher = header.matcher(Files.readAllLines(file).get(0));
				if (matcher.matches() && ReleaseVersion.parse(matcher.group(1)).compareTo(ReleaseVersion.parse(newest)) > 0) {
					newest = matcher.group(1);
				}
			}
			return newest;
		}
	}

}
