package com.acme.iot.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every .tf file under infra/ parsed once, offline, by @cdktf/hcl2json (terraform validate needs providers that
 * cannot be downloaded here), for the policy tests.
 */
final class TerraformFiles {

	private static Map<String, JsonNode> parsed;

	private TerraformFiles() {
	}

	static synchronized Map<String, JsonNode> all() {
		if (parsed == null) {
			parsed = parse();
		}
		return parsed;
	}

	/** infra/modules/&lt;module&gt;/&lt;file&gt;.tf */
	static JsonNode module(String module, String file) {
		JsonNode node = all().get("infra/modules/" + module + "/" + file + ".tf");
		assertThat(node).as("infra/modules/%s/%s.tf", module, file).isNotNull();
		return node;
	}

	static JsonNode root(String root) {
		JsonNode node = all().get("infra/" + root + "/main.tf");
		assertThat(node).as("infra/%s/main.tf", root).isNotNull();
		return node;
	}

	/** Every block of a resource type across all files, as "path#name" to its first body. */
	static Map<String, JsonNode> resources(String type) {
		Map<String, JsonNode> found = new TreeMap<>();
		all().forEach((path, json) -> json.path("resource").path(type).properties()
			.forEach((entry) -> found.put(path + "#" + entry.getKey(), entry.getValue().get(0))));
		return found;
	}

	private static Map<String, JsonNode> parse() {
		try {
			Path node = ExternalTools.require("node");
			List<String> tf;
			try (Stream<Path> walk = Files.walk(Path.of("infra"))) {
				tf = walk.map(Path::toString).filter((name) -> name.endsWith(".tf")).sorted().toList();
			}
			List<String> command = new ArrayList<>(List.of(node.toString(), "src/test/tools/hcl2json.mjs"));
			command.addAll(tf);
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			String json = new String(process.getInputStream().readAllBytes());
			assertThat(process.waitFor()).as("every .tf file parses").isZero();
			Map<String, JsonNode> files = new TreeMap<>();
			JsonMapper.builder().build().readTree(json).properties().forEach((e) -> files.put(e.getKey(), e.getValue()));
			return files;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
