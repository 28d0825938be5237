package com.acme.iot.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policy over infra/: every .tf file parsed offline by @cdktf/hcl2json (terraform validate needs the providers,
 * which cannot be downloaded here), then the properties the platform relies on asserted on the parsed HCL.
 */
class InfrastructurePolicyTests {

	private static final Pattern SECRET_KEY = Pattern
		.compile("(?i).*(password|secret|token|access_key|connection_string|sas|private_key).*");

	private static Map<String, JsonNode> files;

	@BeforeAll
	static void parseEveryTerraformFile() {
		files = TerraformFiles.all();
		assertThat(files).containsKeys("infra/environments/staging/main.tf", "infra/environments/production/main.tf",
				"infra/modules/container-app/main.tf");
	}

	@Test
	void containerAppRunsInMultipleRevisionModeWithProbesOnTheHealthGroups() {
		JsonNode app = file("container-app").at("/resource/azurerm_container_app/this/0");
		assertThat(app.get("revision_mode").stringValue()).isEqualTo("Multiple");
		JsonNode template = app.at("/template/0");
		assertThat(template.has("min_replicas")).isTrue();
		assertThat(template.has("max_replicas")).isTrue();
		assertThat(template.at("/http_scale_rule/0/concurrent_requests").isMissingNode()).isFalse();
		JsonNode container = template.at("/container/0");
		assertThat(container.at("/startup_probe/0/path").stringValue()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/liveness_probe/0/path").stringValue()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/readiness_probe/0/path").stringValue()).isEqualTo("/actuator/health/readiness");
		assertThat(container.at("/startup_probe/0/port").asInt()).isEqualTo(8080);
		assertThat(app.at("/ingress/0/target_port").asInt()).isEqualTo(8080);
		assertThat(app.at("/lifecycle/0/ignore_changes").toString()).contains("traffic_weight", "image");
	}

	@Test
	void containerAppTakesItsSecretsFromKeyVaultThroughItsUserAssignedIdentity() {
		JsonNode app = file("container-app").at("/resource/azurerm_container_app/this/0");
		assertThat(app.at("/identity/0/type").stringValue()).isEqualTo("UserAssigned");
		assertThat(app.get("secret").valueStream()).hasSize(2).allSatisfy(secret -> {
			assertThat(secret.get("key_vault_secret_id").stringValue()).startsWith("${var.");
			assertThat(secret.get("identity").stringValue()).isEqualTo("${var.identity_id}");
			assertThat(secret.has("value")).isFalse();
		});
		Map<String, JsonNode> env = new HashMap<>();
		app.at("/template/0/container/0/env").valueStream().forEach(e -> env.put(e.get("name").stringValue(), e));
		assertThat(env).containsKeys("IOT_RELEASE_ENVIRONMENT", "SPRING_DATASOURCE_URL", "IOT_BACKUP_AZURE_ENDPOINT",
				"AZURE_CLIENT_ID");
		assertThat(env.get("SPRING_DATASOURCE_PASSWORD").get("secret_name").stringValue()).isEqualTo("database-password");
		assertThat(env.get("IOT_ADMIN_TOKEN").get("secret_name").stringValue()).isEqualTo("iot-admin-token");
		JsonNode vault = file("key-vault").get("resource");
		assertThat(vault.at("/azurerm_key_vault_secret/database_password/0/value").stringValue())
			.isEqualTo("${random_password.database_app.result}");
		assertThat(vault.at("/azurerm_key_vault_secret/database_admin_password/0/value").stringValue())
			.isEqualTo("${random_password.database.result}");
		assertThat(vault.at("/azurerm_key_vault_secret/admin_token/0/value").stringValue())
			.isEqualTo("${random_password.admin_token.result}");
		assertThat(vault.at("/azurerm_role_assignment/app/0/role_definition_name").stringValue())
			.isEqualTo("Key Vault Secrets User");
	}

	@Test
	void backupsArePrivateSoftDeletedAndOnlyTheAppsRetentionDeletesThemKeepingAtLeastSome() {
		JsonNode storage = file("backup-storage");
		JsonNode account = storage.at("/resource/azurerm_storage_account/this/0");
		assertThat(account.get("allow_nested_items_to_be_public").booleanValue()).isFalse();
		assertThat(account.at("/blob_properties/0/delete_retention_policy/0/days").stringValue())
			.isEqualTo("${var.soft_delete_days}");
		assertThat(storage.at("/variable/soft_delete_days/0/default").asInt())
			.isGreaterThanOrEqualTo(storage.at("/variable/retention_days/0/default").asInt());
		JsonNode container = storage.at("/resource/azurerm_storage_container/backups/0");
		assertThat(container.get("name").stringValue()).isEqualTo("backups");
		assertThat(container.get("container_access_type").stringValue()).isEqualTo("private");
		JsonNode rule = storage.at("/resource/azurerm_storage_management_policy/this/0/rule/0");
		assertThat(rule.get("enabled").booleanValue()).isTrue();
		assertThat(rule.at("/actions/0").has("base_blob")).as("no age-based deletion of current backups").isFalse();
		assertThat(storage.at("/variable/keep_at_least/0/default").asInt()).isGreaterThanOrEqualTo(1);
		Map<String, JsonNode> env = new HashMap<>();
		file("container-app").at("/resource/azurerm_container_app/this/0/template/0/container/0/env").valueStream()
			.forEach((e) -> env.put(e.get("name").stringValue(), e));
		assertThat(env.get("IOT_BACKUP_RETENTION").get("value").stringValue()).isEqualTo("${var.backup_retention}");
		assertThat(env.get("IOT_BACKUP_KEEPATLEAST").get("value").stringValue())
			.isEqualTo("${tostring(var.backup_keep_at_least)}");
		for (String environment : List.of("staging", "production")) {
			assertThat(root(environment).at("/module/iot_api/0/backup_retention_days").asInt()).as(environment)
				.isEqualTo(30);
		}
	}

	@Test
	void appIdentityIsStorageBlobDataContributorOnTheBackupsContainerOnly() {
		JsonNode assignment = file("backup-storage").at("/resource/azurerm_role_assignment/writer/0");
		assertThat(assignment.get("role_definition_name").stringValue()).isEqualTo("Storage Blob Data Contributor");
		assertThat(assignment.get("scope").stringValue()).isEqualTo("${azurerm_storage_container.backups.id}");
		assertThat(file("environment").at("/module/backup_storage/0/writer_principal_id").stringValue())
			.isEqualTo("${azurerm_user_assigned_identity.app.principal_id}");
	}

	@Test
	void productionDatabaseIsZoneRedundantWith35DaysOfPointInTimeRestore() {
		JsonNode production = root("production").at("/module/iot_api/0");
		assertThat(production.get("postgresql_high_availability").booleanValue()).isTrue();
		assertThat(production.get("postgresql_backup_retention_days").asInt()).isEqualTo(35);
		assertThat(production.get("postgresql_geo_redundant_backup").booleanValue()).isTrue();
		JsonNode server = file("postgres").at("/resource/azurerm_postgresql_flexible_server/this/0");
		assertThat(server.at("/dynamic/high_availability/0/content/0/mode").stringValue()).isEqualTo("ZoneRedundant");
		assertThat(server.at("/dynamic/high_availability/0/for_each").stringValue()).contains("var.high_availability");
		assertThat(server.get("backup_retention_days").stringValue()).isEqualTo("${var.backup_retention_days}");
	}

	@Test
	void databaseMajorVersionIsPinnedToThePostgresClientOfTheImage() throws Exception {
		Matcher major = Pattern.compile("(?m)^ARG PG_MAJOR=(\\d+)$")
			.matcher(Files.readString(Path.of("deploy/base-image/Dockerfile")));
		assertThat(major.find()).isTrue();
		for (String environment : List.of("staging", "production")) {
			assertThat(root(environment).at("/module/iot_api/0/postgresql_version").stringValue()).as(environment)
				.isEqualTo(major.group(1));
		}
		assertThat(file("postgres").at("/resource/azurerm_postgresql_flexible_server/this/0/version").stringValue())
			.isEqualTo("${var.postgresql_version}");
	}

	@Test
	void environmentsKeepTheirStateRemotelyAndOutputTheAppUrl() {
		for (String environment : List.of("staging", "production")) {
			JsonNode root = root(environment);
			assertThat(root.at("/terraform/0/backend/azurerm/0/key").stringValue()).isEqualTo(environment + ".tfstate");
			assertThat(root.at("/output/app_url/0/value").stringValue()).isEqualTo("${module.iot_api.app_url}");
			assertThat(root.at("/module/iot_api/0/environment").stringValue()).isEqualTo(environment);
		}
		assertThat(file("environment").at("/locals/0/resource_group").stringValue()).isEqualTo("rg-iot-api-${var.environment}");
		assertThat(file("environment").at("/locals/0/app").stringValue()).isEqualTo("ca-iot-api-${var.environment}");
	}

	@Test
	void noTerraformFileContainsASecretLiteral() throws Exception {
		List<String> findings = new ArrayList<>();
		files.forEach((path, json) -> collectSecretLiterals(path, "", null, json, findings));
		try (Stream<Path> walk = Files.walk(Path.of("infra"))) {
			for (Path tf : walk.filter(p -> p.toString().endsWith(".tf")).toList()) {
				String text = Files.readString(tf);
				if (text.matches("(?s).*(AccountKey=|SharedAccessSignature=|-----BEGIN|sig=[A-Za-z0-9%]{20}).*")) {
					findings.add(tf + ": credential material");
				}
			}
		}
		assertThat(findings).isEmpty();
	}

	/** A string leaf under a secret-like attribute that is a literal, not a reference or expression. */
	private static void collectSecretLiterals(String path, String pointer, String key, JsonNode node,
			List<String> findings) {
		if (node.isObject()) {
			node.properties().forEach(e -> collectSecretLiterals(path, pointer + "/" + e.getKey(), e.getKey(),
					e.getValue(), findings));
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				collectSecretLiterals(path, pointer + "/" + i, key, node.get(i), findings);
			}
		}
		else if (node.isString() && key != null && SECRET_KEY.matcher(key).matches() && !key.endsWith("_name")
				&& !key.endsWith("_id") && !node.stringValue().startsWith("${")) {
			findings.add(path + pointer + " = \"" + node.stringValue() + "\"");
		}
	}

	private static JsonNode file(String module) {
		return files.get("infra/modules/" + module + "/main.tf");
	}

	private static JsonNode root(String environment) {
		return files.get("infra/environments/" + environment + "/main.tf");
	}

}
