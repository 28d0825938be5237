# PostgreSQL Flexible Server. Its major version must not exceed the pg_dump/pg_restore major of the image
# (deploy/base-image/Dockerfile, PG_MAJOR): the backup module dumps it with that client.
# Public network access is off: the app reaches it through a private endpoint in the environment's network.
# The app connects as its own role (infra/modules/database-role), never as this administrator.

variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "postgresql_version" {
  description = "Major version; pinned to the image's PostgreSQL client (deploy/base-image: PG_MAJOR=17)."
  type        = string
  default     = "17"
  validation {
    condition     = contains(["15", "16", "17"], var.postgresql_version)
    error_message = "The service needs PostgreSQL >= 15 and the image ships pg_dump 17 (deploy/base-image PG_MAJOR)."
  }
}

variable "sku_name" {
  type = string
}

variable "storage_mb" {
  description = "Initial size; storage auto-grow enlarges it (never shrinks). Sizing: runbooks/database-storage.md."
  type        = number
  default     = 32768
}

variable "high_availability" {
  description = "Zone-redundant standby (automatic failover to another zone)."
  type        = bool
}

variable "backup_retention_days" {
  description = "Point-in-time restore window (7-35 days)."
  type        = number
}

variable "geo_redundant_backup" {
  type = bool
}

variable "administrator_password" {
  description = "From the key-vault module; never a literal. Only the first value: rotation owns it afterwards."
  type        = string
  sensitive   = true
}

variable "private_endpoint_subnet_id" {
  type = string
}

variable "private_dns_zone_id" {
  description = "privatelink.postgres.database.azure.com, linked to the environment's network."
  type        = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "azurerm_postgresql_flexible_server" "this" {
  name                          = var.name
  resource_group_name           = var.resource_group_name
  location                      = var.location
  version                       = var.postgresql_version
  sku_name                      = var.sku_name
  storage_mb                    = var.storage_mb
  zone                          = "1"
  administrator_login           = "iotadmin"
  administrator_password        = var.administrator_password
  backup_retention_days         = var.backup_retention_days
  geo_redundant_backup_enabled  = var.geo_redundant_backup
  auto_grow_enabled             = true
  public_network_access_enabled = false
  tags                          = var.tags

  dynamic "high_availability" {
    for_each = var.high_availability ? [1] : []
    content {
      mode                      = "ZoneRedundant"
      standby_availability_zone = "2"
    }
  }

  lifecycle {
    prevent_destroy = true
    # deploy/rotate-secret.sh rotates it (Key Vault database-admin-password); Terraform never writes it back.
    ignore_changes = [administrator_password]
  }
}

resource "azurerm_postgresql_flexible_server_database" "iot" {
  name      = "iot"
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

# No firewall rule at all: with public access off, only the private endpoint reaches the server.
resource "azurerm_private_endpoint" "this" {
  name                = "pe-${var.name}"
  resource_group_name = var.resource_group_name
  location            = var.location
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "postgresql"
    private_connection_resource_id = azurerm_postgresql_flexible_server.this.id
    subresource_names              = ["postgresqlServer"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "postgres"
    private_dns_zone_ids = [var.private_dns_zone_id]
  }
}

output "jdbc_url" {
  value = "jdbc:postgresql://${azurerm_postgresql_flexible_server.this.fqdn}:5432/${azurerm_postgresql_flexible_server_database.iot.name}?sslmode=require"
}

output "administrator_login" {
  value = azurerm_postgresql_flexible_server.this.administrator_login
}

output "server_id" {
  value = azurerm_postgresql_flexible_server.this.id
}

output "fqdn" {
  value = azurerm_postgresql_flexible_server.this.fqdn
}

output "database_name" {
  value = azurerm_postgresql_flexible_server_database.iot.name
}
