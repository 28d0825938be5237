# Alerts Azure evaluates outside the Prometheus rules: the public host name as the mobile app sees it
# (availability and TLS certificate, the seed's "API unavailable" from outside and "certificate expiring within
# 30 days") and the database server (the seed's CPU and disk thresholds, plus the 80 % capacity warning).
# Where each of the seed's five alerts comes from: runbooks/README.md "Alerts in Azure".

resource "azurerm_application_insights_standard_web_test" "availability" {
  name                    = "availability-${local.prefix}"
  resource_group_name     = var.resource_group_name
  location                = var.location
  application_insights_id = azurerm_application_insights.this.id
  description             = "GET https://${var.public_host_name}/actuator/health/readiness from five regions"
  frequency               = 300
  timeout                 = 30
  enabled                 = true
  retry_enabled           = true
  geo_locations           = ["emea-nl-ams-azr", "emea-gb-db3-azr", "emea-fr-pra-edge", "emea-se-sto-edge", "us-va-ash-azr"]
  tags                    = var.tags

  request {
    url                              = "https://${var.public_host_name}/actuator/health/readiness"
    http_verb                        = "GET"
    follow_redirects_enabled         = false
    parse_dependent_requests_enabled = false
  }

  validation_rules {
    expected_status_code = 200
    ssl_check_enabled    = true
  }
}

resource "azurerm_application_insights_standard_web_test" "tls_expiry" {
  name                    = "tls-expiry-${local.prefix}"
  resource_group_name     = var.resource_group_name
  location                = var.location
  application_insights_id = azurerm_application_insights.this.id
  description             = "The certificate of ${var.public_host_name} is valid for at least 30 more days"
  frequency               = 900
  timeout                 = 30
  enabled                 = true
  geo_locations           = ["emea-nl-ams-azr", "us-va-ash-azr"]
  tags                    = var.tags

  request {
    url       = "https://${var.public_host_name}/actuator/health/liveness"
    http_verb = "GET"
  }

  validation_rules {
    expected_status_code        = 0
    ssl_check_enabled           = true
    ssl_cert_remaining_lifetime = 30
  }
}

resource "azurerm_monitor_metric_alert" "availability" {
  name                = "ApiUnavailableFromOutside-${var.environment}"
  resource_group_name = var.resource_group_name
  scopes              = [azurerm_application_insights_standard_web_test.availability.id, azurerm_application_insights.this.id]
  description         = "https://${var.public_host_name} fails its readiness check from 2 or more regions. Runbook: ${local.runbooks}/api-down.md"
  severity            = local.severity.critical
  frequency           = "PT1M"
  window_size         = "PT5M"
  tags                = var.tags

  application_insights_web_test_location_availability_criteria {
    web_test_id           = azurerm_application_insights_standard_web_test.availability.id
    component_id          = azurerm_application_insights.this.id
    failed_location_count = 2
  }

  action {
    action_group_id = azurerm_monitor_action_group.critical.id
  }
}

resource "azurerm_monitor_metric_alert" "tls_expiry" {
  name                = "TlsCertificateExpiringSoon-${var.environment}"
  resource_group_name = var.resource_group_name
  scopes              = [azurerm_application_insights_standard_web_test.tls_expiry.id, azurerm_application_insights.this.id]
  description         = "The TLS certificate of ${var.public_host_name} expires within 30 days (or is invalid). Runbook: ${local.runbooks}/tls-certificate-expiring.md"
  severity            = local.severity.critical
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  application_insights_web_test_location_availability_criteria {
    web_test_id           = azurerm_application_insights_standard_web_test.tls_expiry.id
    component_id          = azurerm_application_insights.this.id
    failed_location_count = 1
  }

  action {
    action_group_id = azurerm_monitor_action_group.critical.id
  }
}

resource "azurerm_monitor_metric_alert" "database_storage_high" {
  name                = "DatabaseStorageHigh-${var.environment}"
  resource_group_name = var.resource_group_name
  scopes              = [var.postgres_server_id]
  description         = "PostgreSQL storage is more than 80 % used; auto-grow will enlarge it, plan the size. Runbook: ${local.runbooks}/database-storage.md"
  severity            = local.severity.warning
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "storage_percent"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = 80
  }

  action {
    action_group_id = azurerm_monitor_action_group.warning.id
  }
}

resource "azurerm_monitor_metric_alert" "database_disk_low" {
  name                = "DatabaseDiskSpaceLow-${var.environment}"
  resource_group_name = var.resource_group_name
  scopes              = [var.postgres_server_id]
  description         = "Less than 15 % of the PostgreSQL storage is free for 5 minutes. Runbook: ${local.runbooks}/disk-space-low.md"
  severity            = local.severity.critical
  frequency           = "PT1M"
  window_size         = "PT5M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "storage_percent"
    aggregation      = "Minimum"
    operator         = "GreaterThan"
    threshold        = 85
  }

  action {
    action_group_id = azurerm_monitor_action_group.critical.id
  }
}

resource "azurerm_monitor_metric_alert" "database_cpu_high" {
  name                = "DatabaseCpuHigh-${var.environment}"
  resource_group_name = var.resource_group_name
  scopes              = [var.postgres_server_id]
  description         = "PostgreSQL CPU above 80 % for 5 minutes. Runbook: ${local.runbooks}/cpu-high.md"
  severity            = local.severity.critical
  frequency           = "PT1M"
  window_size         = "PT5M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "cpu_percent"
    aggregation      = "Minimum"
    operator         = "GreaterThan"
    threshold        = 80
  }

  action {
    action_group_id = azurerm_monitor_action_group.critical.id
  }
}
