# Bootstrap root: the storage of the Terraform state of infra/environments/*. Run once per subscription by an
# owner, before any environment (README "Infrastructure"); its own state is local and tiny: keep it with the
# subscription's owners, or re-import (commands in runbooks/rebuild-environment.md).
#   terraform -chdir=infra/bootstrap init && terraform -chdir=infra/bootstrap apply \
#     -var 'deployer_principal_ids={"staging":"<object id>","production":"<object id>"}'
# One container per environment, written only by that environment's deployer identity; blob versioning and
# soft delete make any state recoverable, and a delete lock protects the account itself.

terraform {
  required_version = ">= 1.6"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.30"
    }
  }
}

provider "azurerm" {
  features {}
  storage_use_azuread = true
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "storage_account_name" {
  description = "Globally unique; infra/environments/*/main.tf name it in their backend block."
  type        = string
  default     = "stiotapitfstate"
}

variable "environments" {
  type    = set(string)
  default = ["staging", "production"]
}

variable "deployer_principal_ids" {
  description = "Object id of each environment's pipeline identity (OIDC): it reads and writes that state only."
  type        = map(string)
}

variable "plan_principal_ids" {
  description = "Object id of each environment's pull-request plan identity: reads that state only."
  type        = map(string)
  default     = {}
}

variable "soft_delete_days" {
  type    = number
  default = 30
}

locals {
  tags = {
    application = "iot-api"
    managed-by  = "terraform-bootstrap"
  }
}

resource "azurerm_resource_group" "state" {
  name     = "rg-iot-api-tfstate"
  location = var.location
  tags     = local.tags
}

resource "azurerm_storage_account" "state" {
  name                            = var.storage_account_name
  resource_group_name             = azurerm_resource_group.state.name
  location                        = azurerm_resource_group.state.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  tags                            = local.tags

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = var.soft_delete_days
    }
    container_delete_retention_policy {
      days = var.soft_delete_days
    }
  }
}

resource "azurerm_management_lock" "state" {
  name       = "do-not-delete-terraform-state"
  scope      = azurerm_storage_account.state.id
  lock_level = "CanNotDelete"
  notes      = "Holds the Terraform state of every IoT API environment."
}

resource "azurerm_storage_container" "state" {
  for_each              = var.environments
  name                  = "tfstate-${each.key}"
  storage_account_id    = azurerm_storage_account.state.id
  container_access_type = "private"
}

resource "azurerm_role_assignment" "deployer" {
  for_each             = var.environments
  scope                = azurerm_storage_container.state[each.key].id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = var.deployer_principal_ids[each.key]
}

resource "azurerm_role_assignment" "plan" {
  for_each             = var.plan_principal_ids
  scope                = azurerm_storage_container.state[each.key].id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = each.value
}

output "storage_account_name" {
  value = azurerm_storage_account.state.name
}

output "containers" {
  value = { for environment, container in azurerm_storage_container.state : environment => container.name }
}
