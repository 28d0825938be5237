# Key Vault holding the service's secrets, generated here so that no secret is ever written in a file:
# the PostgreSQL administrator's password, the application role's password and the bootstrap admin token.
# The app reads them through its user-assigned identity. Terraform creates the first value of each secret and
# ignores it afterwards: deploy/rotate-secret.sh owns later values (runbooks/rotate-secrets.md), so an apply
# never writes an old password back.

variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "reader_principal_id" {
  description = "Principal (the app's user-assigned identity) allowed to read the secrets."
  type        = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "this" {
  name                       = var.name
  resource_group_name        = var.resource_group_name
  location                   = var.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  enable_rbac_authorization  = true
  purge_protection_enabled   = true
  soft_delete_retention_days = 90
  tags                       = var.tags
}

# Whoever runs Terraform writes the secrets; the app only reads them.
resource "azurerm_role_assignment" "deployer" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_role_assignment" "app" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = var.reader_principal_id
}

# The PostgreSQL administrator (Terraform and the database-role job only).
resource "random_password" "database" {
  length  = 40
  special = false
}

# The application's own role (iot_app).
resource "random_password" "database_app" {
  length  = 40
  special = false
}

resource "random_password" "admin_token" {
  length  = 48
  special = false
}

resource "azurerm_key_vault_secret" "database_admin_password" {
  name         = "database-admin-password"
  value        = random_password.database.result
  key_vault_id = azurerm_key_vault.this.id
  content_type = "PostgreSQL administrator password"
  depends_on   = [azurerm_role_assignment.deployer]

  lifecycle {
    ignore_changes = [value]
  }
}

resource "azurerm_key_vault_secret" "database_password" {
  name         = "database-password"
  value        = random_password.database_app.result
  key_vault_id = azurerm_key_vault.this.id
  content_type = "Password of the application's PostgreSQL role"
  depends_on   = [azurerm_role_assignment.deployer]

  lifecycle {
    ignore_changes = [value]
  }
}

resource "azurerm_key_vault_secret" "admin_token" {
  name         = "iot-admin-token"
  value        = random_password.admin_token.result
  key_vault_id = azurerm_key_vault.this.id
  content_type = "IOT_ADMIN_TOKEN: bootstrap ADMIN API token"
  depends_on   = [azurerm_role_assignment.deployer]

  lifecycle {
    ignore_changes = [value]
  }
}

output "key_vault_id" {
  value = azurerm_key_vault.this.id
}

output "database_password_secret_id" {
  description = "Versionless id: the app follows rotations."
  value       = azurerm_key_vault_secret.database_password.versionless_id
}

output "admin_token_secret_id" {
  value = azurerm_key_vault_secret.admin_token.versionless_id
}

output "database_admin_password_secret_id" {
  value = azurerm_key_vault_secret.database_admin_password.versionless_id
}

output "database_admin_password" {
  description = "First administrator password, for the server's creation only."
  value       = random_password.database.result
  sensitive   = true
}

output "name" {
  value = azurerm_key_vault.this.name
}
