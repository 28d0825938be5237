# The Container Apps environment and the app itself, in multiple revision mode: every deploy creates a new
# revision at 0% traffic that deploy/deploy.sh smoke-tests and shifts traffic to (and deploy/rollback.sh back).

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
    proxy by default. Here the environment has a generated network and this app alone, so only the ingress can
    reach the container and its private ranges are trusted; with a custom VNet or other apps in the environment,
    narrow this to the infrastructure subnet.
  EOT
  type        = string
  default     = "10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|172\\.(1[6-9]|2[0-9]|3[01])\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}|100\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.\\d{1,3}\\.\\d{1,3}"
}

resource "azurerm_container_app_environment" "this" {
  name                       = var.environment_name
  resource_group_name        = var.resource_group_name
  location                   = var.location
  log_analytics_workspace_id = var.log_analytics_workspace_id
  tags                       = var.tags
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

output "fqdn" {
  value = azurerm_container_app.this.ingress[0].fqdn
}

output "url" {
  value = "https://${azurerm_container_app.this.ingress[0].fqdn}"
}
