package com.acme.iot.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus rule files are the single source of truth: every rule of observability/prometheus/rules is an
 * Azure rule of infra/modules/monitoring/prometheus-rules.tf with the same expression, duration, labels,
 * annotations and routing, and the Terraform has no rule the files lack. Independent of the generator, so a
 * generator bug fails here too.
 */
class PrometheusRulesTerraformTests {

	static final String REGENERATE = "observability/prometheus/rules and infra/modules/monitoring/prometheus-rules.tf "
			+ "differ: run `node src/test/tools/prometheus-rules-to-terraform.mjs` (after `npm ci --prefix src/test/tools`, "
			+ "or any ./mvnw build) and commit the result";

	private static final Map<String, Integer> SEVERITY = Map.of("critical", 0, "warning", 2);

	@Test
	void everyRuleOfTheFilesIsInTheTerraformAndTheReverse() {
		Map<String, String> files = fromRuleFiles();
		Map<String, String> terraform = fromTerraform();

		Set<String> missing = new TreeSet<>(files.keySet());
		missing.removeAll(terraform.keySet());
		Set<String> extra = new TreeSet<>(terraform.keySet());
		extra.removeAll(files.keySet());
		assertThat(missing).as("rules missing from the Terraform; " + REGENERATE).isEmpty();
		assertThat(extra).as("rules in the Terraform that no rule file has; " + REGENERATE).isEmpty();
		files.forEach((rule, definition) -> assertThat(terraform.get(rule)).as(rule + " differs; " + REGENERATE)
			.isEqualTo(definition));
		assertThat(files).as("the seed's alerts are among them").containsKeys("iot-api-availability/ApiDown",
				"iot-api-availability/TlsCertificateExpiringSoon");
	}

	@Test
	void isoDurationsFollowThePrometheusDurations() {
		assertThat(iso("30s")).isEqualTo("PT30S");
		assertThat(iso("5m")).isEqualTo("PT5M");
		assertThat(iso("1h30m")).isEqualTo("PT1H30M");
		assertThat(iso("2d")).isEqualTo("P2D");
	}

	/** "group/name" to a canonical text of everything Azure needs from the rule. */
	@SuppressWarnings("unchecked")
	private static Map<String, String> fromRuleFiles() {
		Map<String, String> rules = new TreeMap<>();
		for (Path file : ruleFiles()) {
			Map<String, Object> yaml = new Yaml().load(read(file));
			for (Map<String, Object> group : (List<Map<String, Object>>) yaml.get("groups")) {
				String interval = iso(String.valueOf(group.getOrDefault("interval", "1m")));
				for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
					Map<String, Object> labels = (Map<String, Object>) rule.getOrDefault("labels", Map.of());
					String severity = String.valueOf(labels.get("severity"));
					String name = (String) (rule.containsKey("alert") ? rule.get("alert") : rule.get("record"));
					rules.put(group.get("name") + "/" + name, canonical(interval, rule.containsKey("alert"),
							((String) rule.get("expr")).strip(), rule.containsKey("for") ? iso((String) rule.get("for")) : "",
							new TreeMap<>(labels).toString(),
							new TreeMap<>((Map<String, Object>) rule.getOrDefault("annotations", Map.of())).toString(),
							rule.containsKey("alert") ? String.valueOf(SEVERITY.getOrDefault(severity, 3)) : "",
							rule.containsKey("alert") ? ("critical".equals(severity) ? "critical" : "warning") : ""));
				}
			}
		}
		return rules;
	}

	private static Map<String, String> fromTerraform() {
		Map<String, String> rules = new TreeMap<>();
		Pattern name = Pattern.compile("^(.+)-\\$\\{var\\.environment}$");
		TerraformFiles.module("monitoring", "prometheus-rules").path("resource")
			.path("azurerm_monitor_alert_prometheus_rule_group").properties().forEach((entry) -> {
				JsonNode group = entry.getValue().get(0);
				Matcher groupName = name.matcher(group.get("name").stringValue());
				assertThat(groupName.matches()).as(group.get("name").stringValue()).isTrue();
				assertThat(group.get("scopes").get(0).stringValue()).isEqualTo("${azurerm_monitor_workspace.this.id}");
				assertThat(group.get("rule_group_enabled").booleanValue()).isTrue();
				group.get("rule").valueStream().forEach((rule) -> {
					boolean alert = rule.has("alert");
					assertThat(rule.get("enabled").booleanValue()).isTrue();
					String action = rule.at("/action/0/action_group_id").asString("");
					rules.put(groupName.group(1) + "/" + (alert ? rule.get("alert") : rule.get("record")).stringValue(),
							canonical(group.get("interval").stringValue(), alert, rule.get("expression").stringValue().strip(),
									rule.path("for").asString(""), map(rule.get("labels")), map(rule.get("annotations")),
									alert ? String.valueOf(rule.get("severity").asInt()) : "",
									action.replaceFirst("^\\$\\{azurerm_monitor_action_group\\.(\\w+)\\.id}$", "$1")));
				});
			});
		return rules;
	}

	private static String canonical(String interval, boolean alert, String expression, String duration, String labels,
			String annotations, String severity, String route) {
		return String.join("\n", "interval=" + interval, "alert=" + alert, "expr=" + expression, "for=" + duration,
				"labels=" + labels, "annotations=" + annotations, "severity=" + severity, "route=" + route);
	}

	private static String map(JsonNode node) {
		Map<String, Object> values = new TreeMap<>();
		if (node != null) {
			node.properties().forEach((e) -> values.put(e.getKey(), e.getValue().asString()));
		}
		return values.toString();
	}

	/** Prometheus duration to ISO 8601, as the generator must do it. */
	static String iso(String duration) {
		Matcher m = Pattern.compile("^(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$").matcher(duration);
		assertThat(m.matches()).as("duration " + duration).isTrue();
		String time = (m.group(2) != null ? m.group(2) + "H" : "") + (m.group(3) != null ? m.group(3) + "M" : "")
				+ (m.group(4) != null ? m.group(4) + "S" : "");
		return "P" + (m.group(1) != null ? m.group(1) + "D" : "") + (time.isEmpty() ? "" : "T" + time);
	}

	private static List<Path> ruleFiles() {
		try (Stream<Path> files = Files.list(Path.of("observability/prometheus/rules"))) {
			return files.filter((f) -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
