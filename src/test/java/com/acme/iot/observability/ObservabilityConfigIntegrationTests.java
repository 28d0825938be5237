package com.acme.iot.observability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.acme.iot.ExternalTools;
import com.acme.iot.observability.ObservabilityFiles.DashboardQuery;
import com.acme.iot.observability.ObservabilityFiles.Result;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the monitoring configuration with the tools that will load it: promtool for the rules and their unit
 * tests, amtool for Alertmanager's configuration and routing, yamllint for every YAML file; and the conventions
 * on-call relies on (labels, annotations, a test per alert, dashboards bound to the provisioned data sources).
 */
class ObservabilityConfigIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	@Test
	void alertRulesPassPromtoolCheck() {
		List<String> command = new ArrayList<>(List.of(ExternalTools.require("promtool").toString(), "check", "rules"));
		ObservabilityFiles.ruleFiles().forEach((file) -> command.add(file.toString()));

		Result result = ObservabilityFiles.run(command, TIMEOUT);

		assertThat(result.succeeded()).as(result.output()).isTrue();
	}

	@Test
	void alertRuleUnitTestsPass() {
		List<String> command = new ArrayList<>(List.of(ExternalTools.require("promtool").toString(), "test", "rules"));
		ObservabilityFiles.ruleTestFiles().forEach((file) -> command.add(file.toString()));

		Result result = ObservabilityFiles.run(command, TIMEOUT);

		assertThat(result.succeeded()).as(result.output()).isTrue();
		assertThat(result.output()).doesNotContain("FAILED");
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyAlertHasAUnitTestThatFiresItAndOneThatMustNot() {
		Set<String> fired = new HashSet<>();
		Set<String> silent = new HashSet<>();
		for (Path file : ObservabilityFiles.ruleTestFiles()) {
			for (Map<String, Object> test : (List<Map<String, Object>>) ObservabilityFiles.yaml(file).get("tests")) {
				for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
					List<?> expected = (List<?>) check.get("exp_alerts");
					((expected == null || expected.isEmpty()) ? silent : fired).add((String) check.get("alertname"));
				}
			}
		}

		assertThat(alertNames()).isNotEmpty().allSatisfy((alert) -> {
			assertThat(fired).as("a unit test in which %s fires", alert).contains(alert);
			assertThat(silent).as("a unit test in which %s must stay silent", alert).contains(alert);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyAlertCarriesSeveritySummaryDescriptionAndRunbook() {
		assertThat(ObservabilityFiles.alertRules()).allSatisfy((rule) -> {
			Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
			Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
			assertThat(labels).as("labels of %s", rule.get("alert")).containsKey("severity");
			assertThat(labels.get("severity")).as("severity of %s", rule.get("alert")).isIn("critical", "warning");
			assertThat(annotations).as("annotations of %s", rule.get("alert"))
				.containsKeys("summary", "description", "runbook_url");
			assertThat((String) annotations.get("runbook_url")).startsWith(ObservabilityFiles.RUNBOOK_URL_PREFIX + "runbooks/");
		});
	}

	@Test
	void seedAlertsAndServiceAlertsAreAllDefined() {
		assertThat(alertNames()).contains("ApiDown", "High5xxRate", "CpuHigh", "DiskSpaceLow", "TlsCertificateExpiringSoon",
				"BackupMissing", "BackupFailing", "RestoreDrillFailed", "RestoreRunningTooLong", "MaintenanceTooLong",
				"IngestionStalled", "NotificationsFailing", "DatabasePoolSaturated", "LatencyP99AboveSlo",
				"ErrorBudgetBurnFast", "ErrorBudgetBurnSlow");
	}

	@Test
	void prometheusConfigurationIsValid() {
		// Syntax only: the production file names secret files that exist only where Prometheus runs; the live
		// test checks a configuration derived from it in full.
		Result result = ObservabilityFiles.run(List.of(ExternalTools.require("promtool").toString(), "check", "config",
				"--syntax-only", ObservabilityFiles.PROMETHEUS_CONFIG.toString()), TIMEOUT);

		assertThat(result.succeeded()).as(result.output()).isTrue();
	}

	@Test
	void alertmanagerConfigurationPassesAmtool() {
		Result result = ObservabilityFiles.run(List.of(ExternalTools.require("amtool").toString(), "check-config",
				ObservabilityFiles.ALERTMANAGER_CONFIG.toString()), TIMEOUT);

		assertThat(result.succeeded()).as(result.output()).isTrue();
		assertThat(result.output()).contains("SUCCESS");
	}

	@Test
	void criticalAlertsPageSlackAndEscalateByEmailWhileWarningsGoToSlack() {
		assertThat(route("severity=critical", "alertname=ApiDown")).isEqualTo("pagerduty,slack-alerts,email-escalation");
		assertThat(route("severity=warning", "alertname=BackupFailing")).isEqualTo("slack-alerts");
		assertThat(route("alertname=Unclassified")).isEqualTo("slack-alerts");
	}

	@Test
	@SuppressWarnings("unchecked")
	void escalationWaitsThirtyMinutesAndSymptomsAreInhibitedWhileTheApiIsDown() {
		Map<String, Object> config = ObservabilityFiles.yaml(ObservabilityFiles.ALERTMANAGER_CONFIG);
		List<Map<String, Object>> routes = (List<Map<String, Object>>) ((Map<String, Object>) config.get("route")).get("routes");
		assertThat(routes).filteredOn((route) -> "email-escalation".equals(route.get("receiver")))
			.singleElement()
			.satisfies((route) -> assertThat(route.get("group_wait")).isEqualTo("30m"));

		List<Map<String, Object>> inhibitions = (List<Map<String, Object>>) config.get("inhibit_rules");
		Map<String, Object> whileDown = inhibitions.stream()
			.filter((rule) -> ((List<String>) rule.get("source_matchers")).contains("alertname=\"ApiDown\""))
			.findFirst()
			.orElseThrow();
		Set<String> inhibited = new TreeSet<>();
		for (String matcher : (List<String>) whileDown.get("target_matchers")) {
			Matcher names = Pattern.compile("alertname=~\"([^\"]+)\"").matcher(matcher);
			if (names.find()) {
				inhibited.addAll(Arrays.asList(names.group(1).split("\\|")));
			}
		}
		assertThat(inhibited).contains("High5xxRate", "LatencyP99AboveSlo", "ErrorBudgetBurnFast", "IngestionStalled");
		assertThat(alertNames()).as("inhibited alerts exist").containsAll(inhibited);
	}

	@Test
	void alertmanagerReadsEverySecretFromAFile() {
		String config = ObservabilityFiles.read(ObservabilityFiles.ALERTMANAGER_CONFIG);

		assertThat(config).containsPattern("routing_key_file:")
			.containsPattern("slack_api_url_file:")
			.containsPattern("smtp_auth_password_file:")
			.doesNotContainPattern("(?m)^\\s*(routing_key|service_key|api_url|slack_api_url|smtp_auth_password|auth_password):")
			.doesNotContain("hooks.slack.com");
	}

	@Test
	void observabilityYamlPassesYamllint() {
		Result result = ObservabilityFiles.run(List.of(ExternalTools.require("yamllint").toString(), "--strict", "-c",
				ObservabilityFiles.OBSERVABILITY.resolve(".yamllint.yml").toString(),
				ObservabilityFiles.OBSERVABILITY.toString()), TIMEOUT);

		assertThat(result.succeeded()).as(result.output()).isTrue();
	}

	@Test
	void dashboardsCoverTheFiveViewsAnnotateDeploysAndUseProvisionedDataSources() {
		List<JsonNode> dashboards = ObservabilityFiles.dashboardFiles().stream().map(ObservabilityFiles::json).toList();

		assertThat(dashboards).extracting((dashboard) -> dashboard.get("uid").stringValue())
			.containsExactlyInAnyOrder("iot-application", "iot-database", "iot-business", "iot-infrastructure",
					"iot-backups");
		assertThat(dashboards).allSatisfy((dashboard) -> assertThat(dashboard.path("annotations").path("list").valueStream()
			.filter((annotation) -> annotation.path("expr").asString("").contains("iot_release_info"))
			.count()).as("deploy annotation of %s", dashboard.get("title")).isEqualTo(1));
		List<DashboardQuery> queries = ObservabilityFiles.dashboardQueries();
		assertThat(queries).isNotEmpty()
			.allSatisfy((query) -> assertThat(query.datasourceUid()).as(query.toString()).isIn("prometheus", "loki"));
		assertThat(queries).filteredOn((query) -> query.datasourceUid().equals("prometheus"))
			.allSatisfy((query) -> assertThat(query.expr()).as(query.toString()).doesNotContain("$job"));
	}

	private static String route(String... labels) {
		List<String> command = new ArrayList<>(List.of(ExternalTools.require("amtool").toString(), "config", "routes",
				"test", "--config.file=" + ObservabilityFiles.ALERTMANAGER_CONFIG));
		command.addAll(List.of(labels));
		Result result = ObservabilityFiles.run(command, TIMEOUT);
		assertThat(result.succeeded()).as(result.output()).isTrue();
		return Stream.of(result.output().split("\n"))
			.filter((line) -> !line.startsWith("Warning"))
			.map(String::strip)
			.filter((line) -> !line.isEmpty())
			.findFirst()
			.orElse("");
	}

	private static Set<String> alertNames() {
		Set<String> names = new TreeSet<>();
		ObservabilityFiles.alertRules().forEach((rule) -> names.add((String) rule.get("alert")));
		return names;
	}

}
