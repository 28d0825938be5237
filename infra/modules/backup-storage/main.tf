# Storage of the backup module's dumps: a private "backups" container, deleted by a lifecycle rule after
# 30 days, soft delete for accidental deletions, and write access for the app's identity on that container only.

variable "name" {
  description = "Storage account name (3-24 lower-case letters and digits, globally unique)."
  type        = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "replication_type" {
  type    = string
  default = "ZRS"
}

variable "retention_days" {
  description = "Backups older than this are deleted by the lifecycle rule."
  type        = number
  default     = 30
}

variable "soft_delete_days" {
  type    = number
  default = 14
}

variable "writer_principal_id" {
  description = "Principal (the app's user-assigned identity) that writes and reads the backups."
  type        = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "azurerm_storage_account" "this" {
  name                            = var.name
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = var.replication_type
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  tags                            = var.tags

  blob_properties {
    delete_retention_policy {
      days = var.soft_delete_days
    }
    container_delete_retention_policy {
      days = var.soft_delete_days
    }
  }
}

resource "azurerm_storage_container" "backups" {
  name                  = "backups"
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}

resource "azurerm_storage_management_policy" "this" {
  storage_account_id = azurerm_storage_account.this.id

  rule {
    name    = "delete-backups-after-${var.retention_days}-days"
    enabled = true
    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["backups/"]
    }
    actions {
      base_blob {
        delete_after_days_since_modification_greater_than = var.retention_days
      }
      snapshot {
        delete_after_days_since_creation_greater_than = var.retention_days
      }
    }
  }
}

resource "azurerm_role_assignment" "writer" {
  scope                = azurerm_storage_container.backups.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = var.writer_principal_id
}

output "blob_endpoint" {
  value = azurerm_storage_account.this.primary_blob_endpoint
}

output "container_name" {
  value = azurerm_storage_container.backups.name
}
