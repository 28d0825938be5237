# One complete environment of the IoT API: resource group, network, monitoring (logs, managed Prometheus,
# Grafana, alerts), Key Vault, PostgreSQL (private) and the job that creates the app's role, backup storage and
# the Container App, wired through one user-assigned identity. infra/environments/* call it with their sizing.

variable "environment" {
  description = "staging or production."
  type        = string
  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "name_suffix" {
  description = "Short unique suffix for the globally unique names (Key Vault, storage account, database server)."
  type        = string
}

variable "image" {
  description = "Image of the first revision (ghcr.io/<owner>/iot-api:<version>)."
  type        = string
}

variable "postgresql_version" {
  type = string
}

variable "postgresql_sku" {
  type = string
}

variable "postgresql_high_availability" {
  type = bool
}

variable "postgresql_backup_retention_days" {
  type = number
}

variable "postgresql_geo_redundant_backup" {
  type = bool
}

variable "backup_replication_type" {
  type = string
}

variable "backup_retention_days" {
  type    = number
  default = 30
}

variable "min_replicas" {
  type = number
}

variable "max_replicas" {
  type = number
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "backup_keep_at_least" {
  type    = number
  default = 7
}

variable "address_space" {
  description = "The environment's own /16 (its network module)."
  type        = string
}

variable "public_host_name" {
  description = "Host name the mobile app uses; the availability and TLS-expiry tests target it."
  type        = string
}

variable "alert_email" {
  type = string
}

variable "slack_webhook_url" {
  type      = string
  sensitive = true
}

variable "pagerduty_integration_key" {
  type      = string
  sensitive = true
  default   = ""
}

variable "grafana_admin_principal_ids" {
  type    = list(string)
  default = []
}

variable "grafana_viewer_principal_ids" {
  type    = list(string)
  default = []
}

locals {
  # Names the deploy/ scripts derive too (deploy/lib.sh): rg-iot-api-<env>, ca-iot-api-<env>.
  resource_group = "rg-iot-api-${var.environment}"
  app            = "ca-iot-api-${var.environment}"
  tags = {
    application = "iot-api"
    environment = var.environment
    managed-by  = "terraform"
  }
}

resource "azurerm_resource_group" "this" {
  name     = local.resource_group
  location = var.location
  tags     = local.tags
}

resource "azurerm_user_assigned_identity" "app" {
  name                = "id-iot-api-${var.environment}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  tags                = local.tags
}

module "network" {
  source              = "../network"
  name                = "vnet-iot-api-${var.environment}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  address_space       = var.address_space
  tags                = local.tags
}

module "monitoring" {
  source                         = "../monitoring"
  environment                    = var.environment
  resource_group_name            = azurerm_resource_group.this.name
  location                       = var.location
  retention_in_days              = var.log_retention_days
  public_host_name               = var.public_host_name
  postgres_server_id             = module.postgres.server_id
  metrics_publisher_principal_id = azurerm_user_assigned_identity.app.principal_id
  grafana_admin_principal_ids    = var.grafana_admin_principal_ids
  grafana_viewer_principal_ids   = var.grafana_viewer_principal_ids
  alert_email                    = var.alert_email
  slack_webhook_url              = var.slack_webhook_url
  pagerduty_integration_key      = var.pagerduty_integration_key
  tags                           = local.tags
}

module "key_vault" {
  source              = "../key-vault"
  name                = "kv-iot-${var.environment}-${var.name_suffix}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  reader_principal_id = azurerm_user_assigned_identity.app.principal_id
  tags                = local.tags
}

module "postgres" {
  source                 = "../postgres"
  name                   = "psql-iot-api-${var.environment}-${var.name_suffix}"
  resource_group_name    = azurerm_resource_group.this.name
  location               = var.location
  postgresql_version     = var.postgresql_version
  sku_name               = var.postgresql_sku
  high_availability      = var.postgresql_high_availability
  backup_retention_days  = var.postgresql_backup_retention_days
  geo_redundant_backup   = var.postgresql_geo_redundant_backup
  administrator_password = module.key_vault.database_admin_password
  tags                   = local.tags

  private_endpoint_subnet_id = module.network.private_endpoints_subnet_id
  private_dns_zone_id        = module.network.postgres_private_dns_zone_id
}

module "database_role" {
  source                           = "../database-role"
  name                             = "job-iot-api-${var.environment}-db-role"
  resource_group_name              = azurerm_resource_group.this.name
  location                         = var.location
  container_app_environment_id     = module.container_app.environment_id
  identity_id                      = azurerm_user_assigned_identity.app.id
  server_fqdn                      = module.postgres.fqdn
  administrator_login              = module.postgres.administrator_login
  administrator_password_secret_id = module.key_vault.database_admin_password_secret_id
  app_password_secret_id           = module.key_vault.database_password_secret_id
  app_database                     = module.postgres.database_name
  tags                             = local.tags

  depends_on = [module.key_vault]
}

module "backup_storage" {
  source              = "../backup-storage"
  name                = "stiotbackup${substr(var.environment, 0, 4)}${var.name_suffix}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  replication_type    = var.backup_replication_type
  retention_days      = var.backup_retention_days
  keep_at_least       = var.backup_keep_at_least
  writer_principal_id = azurerm_user_assigned_identity.app.principal_id
  tags                = local.tags
}

module "container_app" {
  source                      = "../container-app"
  name                        = local.app
  environment_name            = "cae-iot-api-${var.environment}"
  deployment_environment      = var.environment
  resource_group_name         = azurerm_resource_group.this.name
  location                    = var.location
  log_analytics_workspace_id  = module.monitoring.workspace_id
  infrastructure_subnet_id    = module.network.apps_subnet_id
  prometheus_remote_write_url = module.monitoring.prometheus_remote_write_url
  image                       = var.image
  identity_id                 = azurerm_user_assigned_identity.app.id
  identity_client_id          = azurerm_user_assigned_identity.app.client_id
  database_password_secret_id = module.key_vault.database_password_secret_id
  admin_token_secret_id       = module.key_vault.admin_token_secret_id
  jdbc_url                    = module.postgres.jdbc_url
  database_username           = module.database_role.app_role
  backup_blob_endpoint        = module.backup_storage.blob_endpoint
  backup_container            = module.backup_storage.container_name
  public_host_name            = var.public_host_name
  backup_retention            = module.backup_storage.retention
  backup_keep_at_least        = module.backup_storage.keep_at_least
  min_replicas                = var.min_replicas
  max_replicas                = var.max_replicas
  tags                        = local.tags

  # The app reads its secrets at start: the identity's Key Vault access must exist first.
  depends_on = [module.key_vault]
}

output "app_url" {
  value = module.container_app.url
}

output "resource_group" {
  value = azurerm_resource_group.this.name
}

output "container_app" {
  value = local.app
}

output "custom_domain_verification_id" {
  description = "Value of the TXT record asuid.<public_host_name>."
  value       = module.container_app.custom_domain_verification_id
}

output "key_vault" {
  value = module.key_vault.name
}

output "database_role_job" {
  value = module.database_role.job_name
}

output "grafana_name" {
  value = module.monitoring.grafana_name
}

output "grafana_endpoint" {
  value = module.monitoring.grafana_endpoint
}

output "log_analytics_workspace_id" {
  value = module.monitoring.workspace_id
}

output "prometheus_query_endpoint" {
  value = module.monitoring.prometheus_query_endpoint
}
