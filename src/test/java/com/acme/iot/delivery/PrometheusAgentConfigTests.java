package com.acme.iot.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import com.acme.iot.ExternalTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus agent sidecar's configuration (observability/prometheus/azure/agent.yml, rendered by Terraform):
 * it scrapes the app like the local Prometheus does, so the generated rules match, and remote-writes with the
 * managed identity. promtool checks it without the azuread block, which Debian's promtool (2.42) predates.
 */
class PrometheusAgentConfigTests {

	@TempDir
	Path dir;

	@Test
	@SuppressWarnings("unchecked")
	void agentScrapesTheAppLikeTheLocalPrometheusAndRemoteWritesWithTheManagedIdentity() throws Exception {
		Map<String, Object> agent = new Yaml().load(rendered());
		Map<String, Object> local = new Yaml().load(Files.readString(Path.of("observability/prometheus/prometheus.yml")));

		Map<String, Object> job = ((List<Map<String, Object>>) agent.get("scrape_configs")).get(0);
		Map<String, Object> localJob = ((List<Map<String, Object>>) local.get("scrape_configs")).stream()
			.filter((j) -> "iot-api".equals(j.get("job_name")))
			.findFirst()
			.orElseThrow();
		assertThat(job.get("job_name")).isEqualTo("iot-api");
		assertThat(job.get("metrics_path")).isEqualTo(localJob.get("metrics_path"));
		assertThat(((Map<String, Object>) job.get("authorization")).get("type")).isEqualTo("Bearer");
		assertThat(job.toString()).contains("localhost:8080", "instance", "__REPLICA__");
		Map<String, Object> write = ((List<Map<String, Object>>) agent.get("remote_write")).get(0);
		assertThat(write.get("url")).isEqualTo("https://dce.example/dataCollectionRules/dcr-1/streams/x");
		assertThat(write.get("azuread").toString()).contains("AzurePublic", "client_id=00000000-1111-2222-3333-444444444444");
		assertThat(Files.readString(Path.of("observability/prometheus/azure/agent-entrypoint.sh")))
			.contains("__REPLICA__", "CONTAINER_APP_REPLICA_NAME", "--enable-feature=agent");
	}

	@Test
	@SuppressWarnings("unchecked")
	void agentConfigurationPassesPromtool() throws Exception {
		Map<String, Object> agent = new Yaml().load(rendered());
		((List<Map<String, Object>>) agent.get("remote_write")).forEach((write) -> write.remove("azuread"));
		Path file = Files.writeString(dir.resolve("agent.yml"), new Yaml().dump(agent));

		DeliveryLintTests.Result result = DeliveryLintTests.run(List.of(ExternalTools.require("promtool").toString(),
				"check", "config", "--agent", "--syntax-only", file.toString()));

		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	/** The template as Terraform's templatefile() renders it in infra/modules/container-app. */
	private static String rendered() throws Exception {
		String template = Files.readString(Path.of("observability/prometheus/azure/agent.yml"));
		assertThat(Files.readString(Path.of("infra/modules/container-app/main.tf")))
			.contains("observability/prometheus/azure/agent.yml", "remote_write_url", "client_id", "environment");
		String rendered = template.replace("${remote_write_url}", "https://dce.example/dataCollectionRules/dcr-1/streams/x")
			.replace("${client_id}", "00000000-1111-2222-3333-444444444444")
			.replace("${environment}", "staging");
		assertThat(rendered).doesNotContain("${");
		return rendered;
	}

}
