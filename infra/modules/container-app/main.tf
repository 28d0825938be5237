# The Container Apps environment (in the environment's network) and the app itself, in multiple revision mode:
# every deploy creates a new revision at 0% traffic that deploy/deploy.sh smoke-tests and shifts traffic to (and
# deploy/rollback.sh back). Each replica runs a Prometheus agent sidecar that scrapes the app on localhost and
# remote-writes to managed Prometheus with the app's identity (observability/prometheus/azure/agent.yml).

variable "name" {
  type = string
}

variable "environment_name" {
  description = "Name of the Container Apps environment."
  type        = string
}

variable "deployment_environment" {
  description = "staging or production; reported by GET /api/release."
  type        = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "log_analytics_workspace_id" {
  type = string
}

variable "infrastructure_subnet_id" {
  description = "snet-apps of the network module (delegated to Microsoft.App/environments)."
  type        = string
}

variable "prometheus_remote_write_url" {
  type = string
}

variable "prometheus_agent_image" {
  description = "Prometheus in agent mode (>= 2.45 for Entra ID managed-identity remote write)."
  type        = string
  default     = "quay.io/prometheus/prometheus:v2.55.1"
}

variable "public_host_name" {
  description = "Custom domain of the app (e.g. iot-api.example.com): CNAME to the app's FQDN and TXT asuid.<host>."
  type        = string
}

variable "backup_retention" {
  description = "iot.backup.retention (ISO-8601 period)."
  type        = string
}

variable "backup_keep_at_least" {
  description = "iot.backup.keep-at-least."
  type        = number
}

variable "image" {
  description = "Image of the first revision; later revisions come from deploy/deploy.sh (Terraform ignores the image)."
  type        = string
}

variable "identity_id" {
  description = "User-assigned identity: reads Key Vault secrets, writes backups."
  type        = string
}

variable "identity_client_id" {
  type = string
}

variable "database_password_secret_id" {
  type = string
}

variable "admin_token_secret_id" {
  type = string
}

variable "jdbc_url" {
  type = string
}

variable "database_username" {
  type = string
}

variable "backup_blob_endpoint" {
  type = string
}

variable "backup_container" {
  type = string
}

variable "cpu" {
  type    = number
  default = 1
}

variable "memory" {
  description = "Container memory; the JVM takes 75% of it as heap (-XX:MaxRAMPercentage=75)."
  type        = string
  default     = "2Gi"
}

variable "min_replicas" {
  type = number
}

variable "max_replicas" {
  type = number
}

variable "concurrent_requests_per_replica" {
  description = "HTTP scale rule: a replica is added per this many concurrent requests."
  type        = number
  default     = 50
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "trusted_proxies" {
  description = <<-EOT
    Tomcat regex of the peers whose X-Forwarded-For the app believes (server.tomcat.remoteip.internal-proxies):
    the Container Apps ingress, which appends the real client address as the right-most entry. The app trusts no
    proxy by default. The environment runs in its own virtual network (infra/modules/network) with this app alone,
    so only the ingress can reach the container and the private ranges are trusted; if other workloads join that
    network, narrow this to the infrastructure subnet.
  EOT
  type        = string
  default     = "10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|172\\.(1[6-9]|2[0-9]|3[01])\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}|100\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.\\d{1,3}\\.\\d{1,3}"
}

resource "azurerm_container_app_environment" "this" {
  name                           = var.environment_name
  resource_group_name            = var.resource_group_name
  location                       = var.location
  log_analytics_workspace_id     = var.log_analytics_workspace_id
  infrastructure_subnet_id       = var.infrastructure_subnet_id
  internal_load_balancer_enabled = false
  tags                           = var.tags

  workload_profile {
    name                  = "Consumption"
    workload_profile_type = "Consumption"
  }
}

locals {
  # The agent's configuration, with the values only Terraform knows; __REPLICA__ and __REVISION__ are filled in
  # by the sidecar's shell from Container Apps' variables when it starts.
  prometheus_agent_config = templatefile("${path.module}/../../../observability/prometheus/azure/agent.yml", {
    remote_write_url = var.prometheus_remote_write_url
    client_id        = var.identity_client_id
    environment      = var.deployment_environment
  })
}

resource "azurerm_container_app" "this" {
  name                         = var.name
  resource_group_name          = var.resource_group_name
  container_app_environment_id = azurerm_container_app_environment.this.id
  revision_mode                = "Multiple"
  tags                         = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.identity_id]
  }

  secret {
    name                = "database-password"
    key_vault_secret_id = var.database_password_secret_id
    identity            = var.identity_id
  }

  secret {
    name                = "iot-admin-token"
    key_vault_secret_id = var.admin_token_secret_id
    identity            = var.identity_id
  }

  ingress {
    external_enabled = true
    target_port      = 8080
    transport        = "auto"
    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  workload_profile_name = "Consumption"

  template {
    min_replicas = var.min_replicas
    max_replicas = var.max_replicas

    http_scale_rule {
      name                = "http-concurrency"
      concurrent_requests = tostring(var.concurrent_requests_per_replica)
    }

    container {
      name   = "iot-api"
      image  = var.image
      cpu    = var.cpu
      memory = var.memory

      env {
        name  = "SPRING_DATASOURCE_URL"
        value = var.jdbc_url
      }
      env {
        name  = "SPRING_DATASOURCE_USERNAME"
        value = var.database_username
      }
      env {
        name        = "SPRING_DATASOURCE_PASSWORD"
        secret_name = "database-password"
      }
      env {
        name        = "IOT_ADMIN_TOKEN"
        secret_name = "iot-admin-token"
      }
      # Release info: the environment's name; Container Apps itself sets CONTAINER_APP_REVISION and
      # CONTAINER_APP_REPLICA_NAME, which GET /api/release reports too.
      env {
        name  = "IOT_RELEASE_ENVIRONMENT"
        value = var.deployment_environment
      }
      env {
        name  = "IOT_BACKUP_STORE"
        value = "azure"
      }
      env {
        name  = "IOT_BACKUP_AZURE_ENDPOINT"
        value = var.backup_blob_endpoint
      }
      env {
        name  = "IOT_BACKUP_AZURE_CONTAINER"
        value = var.backup_container
      }
      # The ingress is the one proxy whose X-Forwarded-For sets the client address (authentication throttle).
      env {
        name  = "SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES"
        value = var.trusted_proxies
      }
      # The only deleter of current backups (infra/modules/backup-storage has no age-based deletion).
      env {
        name  = "IOT_BACKUP_RETENTION"
        value = var.backup_retention
      }
      env {
        name  = "IOT_BACKUP_KEEPATLEAST"
        value = tostring(var.backup_keep_at_least)
      }
      # DefaultAzureCredential picks the user-assigned identity with this client id.
      env {
        name  = "AZURE_CLIENT_ID"
        value = var.identity_client_id
      }

      # Startup: up to 5 minutes for Flyway migrations before liveness takes over.
      startup_probe {
        transport               = "HTTP"
        port                    = 8080
        path                    = "/actuator/health/liveness"
        interval_seconds        = 10
        timeout                 = 3
        failure_count_threshold = 30
      }

      liveness_probe {
        transport               = "HTTP"
        port                    = 8080
        path                    = "/actuator/health/liveness"
        interval_seconds        = 10
        timeout                 = 3
        failure_count_threshold = 3
      }

      # Readiness includes the database and the maintenance flag: a replica restoring a backup gets no traffic.
      readiness_probe {
        transport               = "HTTP"
        port                    = 8080
        path                    = "/actuator/health/readiness"
        interval_seconds        = 5
        timeout                 = 3
        failure_count_threshold = 3
        success_count_threshold = 1
      }
    }

    # Metrics of this replica to managed Prometheus: scrapes localhost:8080/actuator/prometheus with the
    # bootstrap admin token (the scrape needs ADMIN; a rotation restarts the replica with the new one).
    container {
      name    = "prometheus-agent"
      image   = var.prometheus_agent_image
      cpu     = 0.25
      memory  = "0.5Gi"
      command = ["/bin/sh", "-c"]
      args    = [file("${path.module}/../../../observability/prometheus/azure/agent-entrypoint.sh")]

      env {
        name  = "PROMETHEUS_AGENT_CONFIG"
        value = local.prometheus_agent_config
      }
      env {
        name        = "IOT_ADMIN_TOKEN"
        secret_name = "iot-admin-token"
      }
    }
  }

  lifecycle {
    # deploy/deploy.sh and deploy/rollback.sh own the image and the traffic split after the first apply.
    ignore_changes = [
      template[0].container[0].image,
      template[0].revision_suffix,
      ingress[0].traffic_weight,
    ]
  }
}

# The public host name with an Azure-managed certificate (renewed by Azure; the TLS-expiry test watches it).
# DNS first: CNAME <host> -> fqdn output, TXT asuid.<host> -> custom_domain_verification_id output; then once:
#   az containerapp hostname bind -g <rg> -n <app> --hostname <host> --environment <env> --validation-method CNAME
resource "azurerm_container_app_custom_domain" "public" {
  name             = var.public_host_name
  container_app_id = azurerm_container_app.this.id

  lifecycle {
    # Azure binds the managed certificate; Terraform must not unbind it.
    ignore_changes = [certificate_binding_type, container_app_environment_certificate_id]
  }
}

output "custom_domain_verification_id" {
  value = azurerm_container_app.this.custom_domain_verification_id
}

output "environment_id" {
  value = azurerm_container_app_environment.this.id
}

output "fqdn" {
  value = azurerm_container_app.this.ingress[0].fqdn
}

output "url" {
  value = "https://${azurerm_container_app.this.ingress[0].fqdn}"
}
