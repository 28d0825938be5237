# Staging environment of the IoT API. State lives in its own container of the state account that
# infra/bootstrap creates. The pipeline plans it on pull requests and applies it behind the "staging" GitHub
# environment's approval (.github/workflows/infra.yml); by hand:
#   terraform -chdir=infra/environments/staging init && terraform -chdir=infra/environments/staging apply
# Secrets come from the environment: TF_VAR_slack_webhook_url.

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
    container_name       = "tfstate-staging"
    key                  = "staging.tfstate"
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

variable "slack_webhook_url" {
  description = "Slack incoming webhook of #alerts (GitHub secret SLACK_WEBHOOK_URL)."
  type        = string
  sensitive   = true
}

variable "grafana_admin_principal_ids" {
  description = "Entra ID object ids of the Grafana administrators (the on-call group)."
  type        = list(string)
  default     = []
}

variable "name_suffix" {
  description = "Short unique suffix of the globally unique resource names."
  type        = string
  default     = "acme01"
}

module "iot_api" {
  source      = "../../modules/environment"
  environment = "staging"
  image       = var.image
  name_suffix = var.name_suffix

  # Pinned to the image's PostgreSQL client major (deploy/base-image/Dockerfile: PG_MAJOR).
  postgresql_version               = "17"
  postgresql_sku                   = "B_Standard_B1ms"
  postgresql_high_availability     = false
  postgresql_backup_retention_days = 7
  postgresql_geo_redundant_backup  = false

  backup_replication_type = "LRS"
  backup_retention_days   = 30

  address_space     = "10.40.0.0/16"
  public_host_name  = "iot-api-staging.example.com"
  alert_email       = "iot-oncall-escalation@example.com"
  slack_webhook_url = var.slack_webhook_url
  # No PagerDuty: the seed's 24/7 paging is for production.

  grafana_admin_principal_ids = var.grafana_admin_principal_ids

  min_replicas = 1
  max_replicas = 3
}

output "app_url" {
  description = "Base URL of the service (deploy/smoke-test.sh --url)."
  value       = module.iot_api.app_url
}

output "grafana_endpoint" {
  value = module.iot_api.grafana_endpoint
}
