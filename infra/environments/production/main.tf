# Production environment of the IoT API. State lives in Azure Storage (created once by hand, see README "Deploying"):
#   terraform -chdir=infra/environments/production init && terraform -chdir=infra/environments/production apply

terraform {
  required_version = ">= 1.6"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.30"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  backend "azurerm" {
    resource_group_name  = "rg-iot-api-tfstate"
    storage_account_name = "stiotapitfstate"
    container_name       = "tfstate"
    key                  = "production.tfstate"
    use_azuread_auth     = true
  }
}

provider "azurerm" {
  features {}
  # The backup storage account has shared keys disabled: data-plane calls use Entra ID.
  storage_use_azuread = true
}

variable "image" {
  description = "Image of the first revision; afterwards the deploy workflow creates the revisions."
  type        = string
  default     = "ghcr.io/acme/iot-api:0.1.0"
}

variable "name_suffix" {
  description = "Short unique suffix of the globally unique resource names."
  type        = string
  default     = "acme01"
}

module "iot_api" {
  source      = "../../modules/environment"
  environment = "production"
  image       = var.image
  name_suffix = var.name_suffix

  # Pinned to the image's PostgreSQL client major (deploy/base-image/Dockerfile: PG_MAJOR).
  postgresql_version               = "17"
  postgresql_sku                   = "GP_Standard_D2ds_v5"
  postgresql_high_availability     = true
  postgresql_backup_retention_days = 35
  postgresql_geo_redundant_backup  = true

  backup_replication_type = "ZRS"
  backup_retention_days   = 30

  min_replicas = 2
  max_replicas = 10
}

output "app_url" {
  description = "Base URL of the service (deploy/smoke-test.sh --url)."
  value       = module.iot_api.app_url
}
