# One complete environment of the IoT API: resource group, logs, Key Vault, PostgreSQL, backup storage and the
# Container App, wired through one user-assigned identity. infra/environments/* call it with their sizing.

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

module "monitoring" {
  source              = "../monitoring"
  name                = "log-iot-api-${var.environment}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  retention_in_days   = var.log_retention_days
  tags                = local.tags
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
  administrator_password = module.key_vault.database_password
  tags                   = local.tags
}

module "backup_storage" {
  source              = "../backup-storage"
  name                = "stiotbackup${substr(var.environment, 0, 4)}${var.name_suffix}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  replication_type    = var.backup_replication_type
  retention_days      = var.backup_retention_days
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
  image                       = var.image
  identity_id                 = azurerm_user_assigned_identity.app.id
  identity_client_id          = azurerm_user_assigned_identity.app.client_id
  database_password_secret_id = module.key_vault.database_password_secret_id
  admin_token_secret_id       = module.key_vault.admin_token_secret_id
  jdbc_url                    = module.postgres.jdbc_url
  database_username           = module.postgres.administrator_login
  backup_blob_endpoint        = module.backup_storage.blob_endpoint
  backup_container            = module.backup_storage.container_name
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
