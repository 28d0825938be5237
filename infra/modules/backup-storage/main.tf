# Storage of the backup module's dumps: a private "backups" container and write access for the app's identity
# on that container only. Nothing here deletes a current backup: the app's own retention does
# (iot.backup.retention, never below iot.backup.keep-at-least), so a month of failing backups still leaves the
# newest ones. Every deletion, the app's included, stays recoverable for soft_delete_days (blob soft delete);
# the lifecycle rule only cleans snapshots and previous versions.

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
  description = "Age after which the app deletes a backup (iot.backup.retention), keeping at least keep_at_least."
  type        = number
  default     = 30
}

variable "keep_at_least" {
  description = "Backups the app's retention always keeps, whatever their age (iot.backup.keep-at-least)."
  type        = number
  default     = 7
  validation {
    condition     = var.keep_at_least >= 1
    error_message = "keep_at_least must keep at least one backup."
  }
}

variable "soft_delete_days" {
  description = "How long a deleted backup (by the app's retention or anyone else) can be undeleted."
  type        = number
  default     = 30
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

  # No base_blob action: deleting current backups by age alone could leave none after a month of failures.
  rule {
    name    = "clean-snapshots-and-versions"
    enabled = true
    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["backups/"]
    }
    actions {
      snapshot {
        delete_after_days_since_creation_greater_than = var.retention_days
      }
      version {
        delete_after_days_since_creation = var.retention_days
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

output "retention" {
  description = "iot.backup.retention as an ISO-8601 period."
  value       = "P${var.retention_days}D"
}

output "keep_at_least" {
  value = var.keep_at_least
}
