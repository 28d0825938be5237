package com.acme.iot.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static com.acme.iot.delivery.TerraformFiles.module;
import static com.acme.iot.delivery.TerraformFiles.resources;
import static com.acme.iot.delivery.TerraformFiles.root;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policy over what infra/ adds for operating in Azure (issue 17): the private database and its least-privilege
 * role, secrets Terraform creates but never writes back, managed Prometheus fed by every replica, Grafana, the
 * alerts wired to action groups, and the state bootstrap. Parsed HCL only: what is proven here is the
 * configuration, not Azure's behaviour.
 */
class AzureOperationsPolicyTests {

	private static final String RUNBOOKS = "https://github.com/acme/iot-api/blob/main/";

	@Test
	void databaseHasNoPublicAccessNoFirewallRuleAndGrowsItsStorage() {
		JsonNode postgres = module("postgres", "main");
		JsonNode server = postgres.at("/resource/azurerm_postgresql_flexible_server/this/0");
		assertThat(server.get("public_network_access_enabled").booleanValue()).isFalse();
		assertThat(server.get("auto_grow_enabled").booleanValue()).isTrue();
		assertThat(server.at("/lifecycle/0/ignore_changes").toString()).contains("administrator_password");
		assertThat(resources("azurerm_postgresql_flexible_server_firewall_rule")).isEmpty();
		JsonNode endpoint = postgres.at("/resource/azurerm_private_endpoint/this/0");
		assertThat(endpoint.at("/private_service_connection/0/subresource_names/0").stringValue()).isEqualTo("postgresqlServer");
		assertThat(module("network", "main").at("/resource/azurerm_private_dns_zone/postgres/0/name").stringValue())
			.isEqualTo("privatelink.postgres.database.azure.com");
		JsonNode environment = module("container-app", "main").at("/resource/azurerm_container_app_environment/this/0");
		assertThat(environment.get("infrastructure_subnet_id").stringValue()).isEqualTo("${var.infrastructure_subnet_id}");
	}

	@Test
	void appConnectsAsItsOwnRoleCreatedByAJobInsideTheNetwork() throws Exception {
		JsonNode environment = module("environment", "main");
		assertThat(environment.at("/module/container_app/0/database_username").stringValue())
			.isEqualTo("${module.database_role.app_role}");
		JsonNode job = module("database-role", "main").at("/resource/azurerm_container_app_job/this/0");
		assertThat(job.get("container_app_environment_id").stringValue()).isEqualTo("${var.container_app_environment_id}");
		Map<String, JsonNode> env = env(job.at("/template/0/container/0"));
		assertThat(env.get("PGPASSWORD").get("secret_name").stringValue()).isEqualTo("database-admin-password");
		assertThat(env.get("APP_PASSWORD").get("secret_name").stringValue()).isEqualTo("database-password");
		assertThat(env.get("APP_ROLE_SQL").get("value").stringValue()).contains("app-role.sql");
		assertThat(job.get("secret").valueStream()).allSatisfy((secret) -> assertThat(secret.has("value")).isFalse());
		assertThat(module("database-role", "main").at("/variable/app_role/0/default").stringValue()).isEqualTo("iot_app");
		String sql = Files.readString(Path.of("infra/modules/database-role/app-role.sql"));
		assertThat(sql).contains("CREATEDB NOCREATEROLE", "rolsuper OR rolreplication OR rolbypassrls", "OWNER TO",
				"GRANT CONNECT ON DATABASE postgres", "REASSIGN OWNED BY CURRENT_USER");
	}

	@Test
	void terraformCreatesEverySecretOnceAndNeverWritesItBack() {
		Map<String, JsonNode> secrets = resources("azurerm_key_vault_secret");
		assertThat(secrets).hasSize(3).allSatisfy((name, secret) -> assertThat(secret.at("/lifecycle/0/ignore_changes")
			.toString()).as(name).contains("value"));
		JsonNode app = module("container-app", "main").at("/resource/azurerm_container_app/this/0");
		assertThat(app.get("secret").valueStream())
			.allSatisfy((secret) -> assertThat(secret.get("key_vault_secret_id").stringValue()).startsWith("${var."));
	}

	@Test
	void everyReplicaRemoteWritesToManagedPrometheusWithTheAppsIdentity() {
		JsonNode app = module("container-app", "main").at("/resource/azurerm_container_app/this/0");
		JsonNode sidecar = app.at("/template/0/container/1");
		assertThat(sidecar.get("name").stringValue()).isEqualTo("prometheus-agent");
		assertThat(sidecar.get("image").stringValue()).isEqualTo("${var.prometheus_agent_image}");
		Map<String, JsonNode> env = env(sidecar);
		assertThat(env.get("IOT_ADMIN_TOKEN").get("secret_name").stringValue()).isEqualTo("iot-admin-token");
		assertThat(env.get("PROMETHEUS_AGENT_CONFIG").get("value").stringValue()).isEqualTo("${local.prometheus_agent_config}");
		assertThat(app.at("/lifecycle/0/ignore_changes").toString()).contains("template[0].container[0].image")
			.doesNotContain("container[1]");
		JsonNode monitoring = module("monitoring", "main");
		assertThat(monitoring.at("/resource/azurerm_monitor_data_collection_rule/prometheus/0/destinations/0/monitor_account/0/monitor_account_id")
			.stringValue()).isEqualTo("${azurerm_monitor_workspace.this.id}");
		JsonNode publisher = monitoring.at("/resource/azurerm_role_assignment/metrics_publisher/0");
		assertThat(publisher.get("role_definition_name").stringValue()).isEqualTo("Monitoring Metrics Publisher");
		assertThat(publisher.get("scope").stringValue()).isEqualTo("${azurerm_monitor_data_collection_rule.prometheus.id}");
		assertThat(module("environment", "main").at("/module/monitoring/0/metrics_publisher_principal_id").stringValue())
			.isEqualTo("${azurerm_user_assigned_identity.app.principal_id}");
		assertThat(monitoring.at("/output/prometheus_remote_write_url/0/value").stringValue())
			.contains("metrics_ingestion_endpoint", "immutable_id", "Microsoft-PrometheusMetrics/api/v1/write");
	}

	@Test
	void grafanaReadsManagedPrometheusAndLogsAndThePipelineMayProvisionIt() {
		JsonNode monitoring = module("monitoring", "main");
		JsonNode grafana = monitoring.at("/resource/azurerm_dashboard_grafana/this/0");
		assertThat(grafana.at("/azure_monitor_workspace_integrations/0/resource_id").stringValue())
			.isEqualTo("${azurerm_monitor_workspace.this.id}");
		assertThat(grafana.at("/identity/0/type").stringValue()).isEqualTo("SystemAssigned");
		assertThat(monitoring.at("/resource/azurerm_role_assignment/grafana_prometheus/0/role_definition_name").stringValue())
			.isEqualTo("Monitoring Data Reader");
		assertThat(monitoring.at("/resource/azurerm_role_assignment/grafana_deployer/0/role_definition_name").stringValue())
			.isEqualTo("Grafana Admin");
		JsonNode logs = monitoring.at("/resource/azurerm_log_analytics_saved_search/iot_api_logs/0");
		assertThat(logs.get("function_alias").stringValue()).isEqualTo("IotApiLogs");
	}

	@Test
	void criticalAlertsGoToSlackEmailAndPagerDutyInProductionAndWarningsToSlack() {
		JsonNode groups = module("monitoring", "action-groups").at("/resource/azurerm_monitor_action_group");
		JsonNode critical = groups.at("/critical/0");
		assertThat(critical.at("/logic_app_receiver/0/resource_id").stringValue())
			.isEqualTo("${azurerm_logic_app_workflow.slack.id}");
		assertThat(critical.at("/email_receiver/0/email_address").stringValue()).isEqualTo("${var.alert_email}");
		assertThat(critical.at("/dynamic/webhook_receiver/0/content/0/service_uri").stringValue())
			.startsWith("https://events.pagerduty.com/integration/");
		assertThat(groups.at("/warning/0").has("email_receiver")).isFalse();
		assertThat(groups.at("/warning/0/logic_app_receiver/0/name").stringValue()).isEqualTo("slack-alerts");
		assertThat(root("environments/production").at("/module/iot_api/0/pagerduty_integration_key").stringValue())
			.isEqualTo("${var.pagerduty_integration_key}");
		assertThat(root("environments/staging").at("/module/iot_api/0").has("pagerduty_integration_key")).isFalse();
	}

	@Test
	void theSeedsFiveAlertsAndTheDatabaseDiskReachRealTargets() {
		JsonNode alerts = module("monitoring", "alerts").get("resource");
		JsonNode availability = alerts.at("/azurerm_application_insights_standard_web_test/availability/0");
		assertThat(availability.at("/request/0/url").stringValue()).startsWith("https://${var.public_host_name}/");
		JsonNode tls = alerts.at("/azurerm_application_insights_standard_web_test/tls_expiry/0");
		assertThat(tls.at("/validation_rules/0/ssl_check_enabled").booleanValue()).isTrue();
		assertThat(tls.at("/validation_rules/0/ssl_cert_remaining_lifetime").asInt()).isEqualTo(30);
		Map<String, JsonNode> metricAlerts = new HashMap<>();
		alerts.path("azurerm_monitor_metric_alert").properties().forEach((e) -> metricAlerts.put(e.getKey(), e.getValue().get(0)));
		assertThat(metricAlerts).containsOnlyKeys("availability", "tls_expiry", "database_storage_high", "database_disk_low",
				"database_cpu_high");
		assertThat(metricAlerts.get("database_storage_high").at("/criteria/0/threshold").asInt()).isEqualTo(80);
		assertThat(metricAlerts.get("database_storage_high").at("/action/0/action_group_id").stringValue())
			.contains("action_group.warning");
		assertThat(metricAlerts.get("database_disk_low").at("/criteria/0/threshold").asInt()).isEqualTo(85);
		assertThat(metricAlerts.get("database_cpu_high").at("/criteria/0/threshold").asInt()).isEqualTo(80);
		assertThat(metricAlerts.get("database_cpu_high").get("window_size").stringValue()).isEqualTo("PT5M");
		for (String critical : List.of("availability", "tls_expiry", "database_disk_low", "database_cpu_high")) {
			assertThat(metricAlerts.get(critical).at("/action/0/action_group_id").stringValue()).as(critical)
				.isEqualTo("${azurerm_monitor_action_group.critical.id}");
		}
		Map<String, String> ruleActions = new HashMap<>();
		resources("azurerm_monitor_alert_prometheus_rule_group").values().forEach((group) -> group.get("rule").valueStream()
			.filter((rule) -> rule.has("alert"))
			.forEach((rule) -> ruleActions.put(rule.get("alert").stringValue(),
					rule.at("/action/0/action_group_id").stringValue())));
		for (String seed : List.of("ApiDown", "High5xxRate", "CpuHigh", "DiskSpaceLow")) {
			assertThat(ruleActions.get(seed)).as(seed).isEqualTo("${azurerm_monitor_action_group.critical.id}");
		}
	}

	@Test
	void everyRunbookNamedByAnAzureAlertExists() {
		Pattern runbook = Pattern.compile("\\$\\{local\\.runbooks}/([\\w.-]+\\.md)");
		List<String> descriptions = resources("azurerm_monitor_metric_alert").values().stream()
			.map((alert) -> alert.get("description").stringValue())
			.toList();
		assertThat(descriptions).hasSize(5).allSatisfy((description) -> {
			Matcher matcher = runbook.matcher(description);
			assertThat(matcher.find()).as(description).isTrue();
			assertThat(Path.of("runbooks", matcher.group(1))).as(description).isRegularFile();
		});
		assertThat(module("monitoring", "main").at("/locals/0/runbooks").stringValue()).isEqualTo(RUNBOOKS + "runbooks");
	}

	@Test
	void stateStorageIsVersionedSoftDeletedLockedWithOneContainerPerEnvironment() {
		JsonNode bootstrap = root("bootstrap");
		JsonNode account = bootstrap.at("/resource/azurerm_storage_account/state/0");
		assertThat(account.at("/blob_properties/0/versioning_enabled").booleanValue()).isTrue();
		assertThat(account.at("/blob_properties/0/delete_retention_policy/0/days").stringValue()).isEqualTo("${var.soft_delete_days}");
		assertThat(account.at("/blob_properties/0/container_delete_retention_policy").isMissingNode()).isFalse();
		assertThat(account.get("shared_access_key_enabled").booleanValue()).isFalse();
		JsonNode lock = bootstrap.at("/resource/azurerm_management_lock/state/0");
		assertThat(lock.get("lock_level").stringValue()).isEqualTo("CanNotDelete");
		assertThat(lock.get("scope").stringValue()).isEqualTo("${azurerm_storage_account.state.id}");
		assertThat(bootstrap.at("/resource/azurerm_storage_container/state/0/name").stringValue())
			.isEqualTo("tfstate-${each.key}");
		assertThat(bootstrap.at("/resource/azurerm_role_assignment/deployer/0/scope").stringValue())
			.isEqualTo("${azurerm_storage_container.state[each.key].id}");
		for (String environment : List.of("staging", "production")) {
			JsonNode backend = root("environments/" + environment).at("/terraform/0/backend/azurerm/0");
			assertThat(backend.get("container_name").stringValue()).isEqualTo("tfstate-" + environment);
			assertThat(backend.get("storage_account_name").stringValue())
				.isEqualTo(bootstrap.at("/variable/storage_account_name/0/default").stringValue());
		}
	}

	private static Map<String, JsonNode> env(JsonNode container) {
		Map<String, JsonNode> env = new HashMap<>();
		container.get("env").valueStream().forEach((e) -> env.put(e.get("name").stringValue(), e));
		return env;
	}

}
