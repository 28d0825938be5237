# Monitoring of one environment, all in Azure: Log Analytics (container logs, with the ECS JSON fields exposed by
# the IotApiLogs function), managed Prometheus (an Azure Monitor workspace fed by the Prometheus agent sidecar of
# every replica through a data collection rule), the Prometheus alert rules generated from
# observability/prometheus/rules (prometheus-rules.tf), Azure Managed Grafana, availability and TLS-expiry tests
# against the public host name, metric alerts on the database server, and the action groups that route every
# alert to Slack, e-mail and (production) PagerDuty. Alert wiring: alerts.tf; action groups: action-groups.tf.

variable "environment" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "retention_in_days" {
  description = "How long logs are kept."
  type        = number
  default     = 30
}

variable "public_host_name" {
  description = "The host name the mobile app uses (e.g. iot-api.example.com): availability and TLS tests target it."
  type        = string
}

variable "postgres_server_id" {
  type = string
}

variable "metrics_publisher_principal_id" {
  description = "The app's identity: the Prometheus agent sidecar remote-writes with it."
  type        = string
}

variable "grafana_admin_principal_ids" {
  description = "Entra ID users or groups allowed to administer Grafana (Grafana Admin)."
  type        = list(string)
  default     = []
}

variable "grafana_viewer_principal_ids" {
  description = "Entra ID users or groups allowed to read the dashboards (Grafana Viewer)."
  type        = list(string)
  default     = []
}

variable "alert_email" {
  description = "Escalation mailbox for critical alerts."
  type        = string
}

variable "slack_webhook_url" {
  description = "Slack incoming webhook of #alerts (TF_VAR_slack_webhook_url from the SLACK_WEBHOOK_URL secret)."
  type        = string
  sensitive   = true
}

variable "pagerduty_integration_key" {
  description = "PagerDuty integration key (Microsoft Azure integration); empty = no paging (staging)."
  type        = string
  sensitive   = true
  default     = ""
}

variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  prefix = "iot-api-${var.environment}"
  # observability/prometheus/rules carry these severities; Azure Monitor's scale is 0 (critical) to 4.
  severity = {
    critical = 0
    warning  = 2
  }
  runbooks = "https://github.com/acme/iot-api/blob/main/runbooks"
}

data "azurerm_client_config" "current" {}

resource "azurerm_log_analytics_workspace" "this" {
  name                = "log-${local.prefix}"
  resource_group_name = var.resource_group_name
  location            = var.location
  sku                 = "PerGB2018"
  retention_in_days   = var.retention_in_days
  tags                = var.tags
}

# The service writes one ECS JSON object per line; Container Apps stores the line in Log_s. This function makes
# the fields columns: IotApiLogs | where Level == "ERROR" and TraceId == "…". Boot writes ECS nested or with
# dotted keys: both are read.
resource "azurerm_log_analytics_saved_search" "iot_api_logs" {
  name                       = "IotApiLogs"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id
  category                   = "IoT API"
  display_name               = "IoT API logs (ECS fields)"
  function_alias             = "IotApiLogs"
  query                      = file("${path.module}/iot-api-logs.kql")
}

resource "azurerm_monitor_workspace" "this" {
  name                = "amw-${local.prefix}"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

# Remote-write path of the sidecars: endpoint + rule (Microsoft-PrometheusMetrics stream) into the workspace.
resource "azurerm_monitor_data_collection_endpoint" "prometheus" {
  name                = "dce-${local.prefix}"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

resource "azurerm_monitor_data_collection_rule" "prometheus" {
  name                        = "dcr-${local.prefix}-prometheus"
  resource_group_name         = var.resource_group_name
  location                    = var.location
  data_collection_endpoint_id = azurerm_monitor_data_collection_endpoint.prometheus.id
  tags                        = var.tags

  data_sources {
    prometheus_forwarder {
      name    = "iot-api-sidecars"
      streams = ["Microsoft-PrometheusMetrics"]
    }
  }

  destinations {
    monitor_account {
      monitor_account_id = azurerm_monitor_workspace.this.id
      name               = "managed-prometheus"
    }
  }

  data_flow {
    streams      = ["Microsoft-PrometheusMetrics"]
    destinations = ["managed-prometheus"]
  }
}

resource "azurerm_role_assignment" "metrics_publisher" {
  scope                = azurerm_monitor_data_collection_rule.prometheus.id
  role_definition_name = "Monitoring Metrics Publisher"
  principal_id         = var.metrics_publisher_principal_id
}

resource "azurerm_dashboard_grafana" "this" {
  name                              = "amg-${local.prefix}"
  resource_group_name               = var.resource_group_name
  location                          = var.location
  grafana_major_version             = "11"
  sku                               = "Standard"
  api_key_enabled                   = false
  deterministic_outbound_ip_enabled = false
  public_network_access_enabled     = true
  tags                              = var.tags

  identity {
    type = "SystemAssigned"
  }

  azure_monitor_workspace_integrations {
    resource_id = azurerm_monitor_workspace.this.id
  }
}

# Grafana's identity queries managed Prometheus and Log Analytics.
resource "azurerm_role_assignment" "grafana_prometheus" {
  scope                = azurerm_monitor_workspace.this.id
  role_definition_name = "Monitoring Data Reader"
  principal_id         = azurerm_dashboard_grafana.this.identity[0].principal_id
}

resource "azurerm_role_assignment" "grafana_logs" {
  scope                = azurerm_log_analytics_workspace.this.id
  role_definition_name = "Log Analytics Reader"
  principal_id         = azurerm_dashboard_grafana.this.identity[0].principal_id
}

# The pipeline's identity provisions the dashboards (deploy/grafana-provision.sh) after each apply.
resource "azurerm_role_assignment" "grafana_deployer" {
  scope                = azurerm_dashboard_grafana.this.id
  role_definition_name = "Grafana Admin"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_role_assignment" "grafana_admins" {
  for_each             = toset(var.grafana_admin_principal_ids)
  scope                = azurerm_dashboard_grafana.this.id
  role_definition_name = "Grafana Admin"
  principal_id         = each.value
}

resource "azurerm_role_assignment" "grafana_viewers" {
  for_each             = toset(var.grafana_viewer_principal_ids)
  scope                = azurerm_dashboard_grafana.this.id
  role_definition_name = "Grafana Viewer"
  principal_id         = each.value
}

resource "azurerm_application_insights" "this" {
  name                = "appi-${local.prefix}"
  resource_group_name = var.resource_group_name
  location            = var.location
  workspace_id        = azurerm_log_analytics_workspace.this.id
  application_type    = "web"
  tags                = var.tags
}

output "workspace_id" {
  description = "Log Analytics workspace of the Container Apps environment."
  value       = azurerm_log_analytics_workspace.this.id
}

output "monitor_workspace_id" {
  value = azurerm_monitor_workspace.this.id
}

output "prometheus_query_endpoint" {
  value = azurerm_monitor_workspace.this.query_endpoint
}

output "prometheus_remote_write_url" {
  description = "Where the sidecars remote-write (the DCE's metrics ingestion endpoint and the rule's immutable id)."
  value       = "${azurerm_monitor_data_collection_endpoint.prometheus.metrics_ingestion_endpoint}/dataCollectionRules/${azurerm_monitor_data_collection_rule.prometheus.immutable_id}/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24"
}

output "grafana_endpoint" {
  value = azurerm_dashboard_grafana.this.endpoint
}

output "grafana_name" {
  value = azurerm_dashboard_grafana.this.name
}
