# The job that creates the application's PostgreSQL role (app-role.sql) and sets its password. It runs inside
# the Container Apps environment, the only network that reaches the private server; deploy/database-role.sh
# starts it after every apply and deploy/rotate-secret.sh after a password rotation.

variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "container_app_environment_id" {
  type = string
}

variable "identity_id" {
  description = "User-assigned identity that reads the two passwords from Key Vault."
  type        = string
}

variable "server_fqdn" {
  type = string
}

variable "administrator_login" {
  type = string
}

variable "administrator_password_secret_id" {
  type = string
}

variable "app_password_secret_id" {
  type = string
}

variable "app_role" {
  type    = string
  default = "iot_app"
}

variable "app_database" {
  type = string
}

variable "psql_image" {
  description = "Any image with psql >= 15 and /bin/sh."
  type        = string
  default     = "docker.io/library/postgres:17-alpine"
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "azurerm_container_app_job" "this" {
  name                         = var.name
  resource_group_name          = var.resource_group_name
  location                     = var.location
  container_app_environment_id = var.container_app_environment_id
  replica_timeout_in_seconds   = 300
  replica_retry_limit          = 0
  tags                         = var.tags

  manual_trigger_config {
    parallelism              = 1
    replica_completion_count = 1
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [var.identity_id]
  }

  secret {
    name                = "database-admin-password"
    key_vault_secret_id = var.administrator_password_secret_id
    identity            = var.identity_id
  }

  secret {
    name                = "database-password"
    key_vault_secret_id = var.app_password_secret_id
    identity            = var.identity_id
  }

  template {
    container {
      name    = "psql"
      image   = var.psql_image
      cpu     = 0.25
      memory  = "0.5Gi"
      command = ["/bin/sh", "-c"]
      args    = ["printf '%s\\n' \"$APP_ROLE_SQL\" | psql --no-psqlrc --quiet"]

      env {
        name  = "PGHOST"
        value = var.server_fqdn
      }
      env {
        name  = "PGPORT"
        value = "5432"
      }
      env {
        name  = "PGDATABASE"
        value = "postgres"
      }
      env {
        name  = "PGSSLMODE"
        value = "require"
      }
      env {
        name  = "PGUSER"
        value = var.administrator_login
      }
      env {
        name        = "PGPASSWORD"
        secret_name = "database-admin-password"
      }
      env {
        name  = "APP_ROLE"
        value = var.app_role
      }
      env {
        name  = "APP_DATABASE"
        value = var.app_database
      }
      env {
        name        = "APP_PASSWORD"
        secret_name = "database-password"
      }
      env {
        name  = "APP_ROLE_SQL"
        value = file("${path.module}/app-role.sql")
      }
    }
  }
}

output "job_name" {
  value = azurerm_container_app_job.this.name
}

output "app_role" {
  value = var.app_role
}
