# GENERATED from observability/prometheus/rules/*.yml. Do not edit: change the rule files, then run
#   node src/test/tools/prometheus-rules-to-terraform.mjs
# Severity: critical -> 0 and the critical action group, warning -> 2 and the warning one.

resource "azurerm_monitor_alert_prometheus_rule_group" "iot_api_availability" {
  name                = "iot-api-availability-${var.environment}"
  resource_group_name = var.resource_group_name
  location            = var.location
  scopes              = [azurerm_monitor_workspace.this.id]
  description         = "iot-api-availability of observability/prometheus/rules/availability.yml"
  rule_group_enabled  = true
  interval            = "PT1M"
  tags                = var.tags

  rule {
    alert      = "ApiDown"
    enabled    = true
    expression = <<-EOT
      (sum by (job) (up{job="iot-api"}) == 0)
      or
      absent(up{job="iot-api"})
      or
      (max by (job, instance) (probe_success{job="blackbox-http"}) == 0)
    EOT
    for        = "PT30S"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "No replica of the IoT API answers its scrape, or the public health probe fails. The mobile app cannot read sensors or post readings."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/api-down.md"
      summary     = "IoT API unavailable for more than 30 s ({{ $labels.job }} {{ $labels.instance }})"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "High5xxRate"
    enabled    = true
    expression = <<-EOT
      sum by (job) (rate(http_server_requests_seconds_count{job="iot-api", status=~"5.."}[5m]))
        /
      sum by (job) (rate(http_server_requests_seconds_count{job="iot-api"}[5m]))
        > 0.05
    EOT
    for        = "PT1M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "{{ $value | humanizePercentage }} of the requests of the last 5 minutes answered 5xx. Usually a bad release, an unavailable database or a restore in progress."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/high-5xx-rate.md"
      summary     = "More than 5 % of IoT API requests fail with 5xx ({{ $value | humanizePercentage }})"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "CpuHigh"
    enabled    = true
    expression = <<-EOT
      (max by (instance) (process_cpu_usage{job="iot-api"}) > 0.8)
      or
      (1 - avg by (instance) (rate(node_cpu_seconds_total{job="node", mode="idle"}[5m])) > 0.8)
    EOT
    for        = "PT5M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "CPU usage is {{ $value | humanizePercentage }} on {{ $labels.instance }} since at least 5 minutes. Latency will follow; check the ingestion rate and scale out."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/cpu-high.md"
      summary     = "CPU above 80 % for 5 minutes on {{ $labels.instance }}"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "DiskSpaceLow"
    enabled    = true
    expression = <<-EOT
      (min by (instance, path) (disk_free_bytes{job="iot-api"} / disk_total_bytes{job="iot-api"}) < 0.15)
      or
      (
        min by (instance, mountpoint) (
          node_filesystem_avail_bytes{job="node", fstype!~"tmpfs|overlay|squashfs|ramfs"}
            / node_filesystem_size_bytes{job="node", fstype!~"tmpfs|overlay|squashfs|ramfs"}
        ) < 0.15
      )
    EOT
    for        = "PT5M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "Only {{ $value | humanizePercentage }} of the file system is free. A full disk stops PostgreSQL, the backups' local staging and the logs."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/disk-space-low.md"
      summary     = "Less than 15 % disk space left on {{ $labels.instance }}"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "TlsCertificateExpiringSoon"
    enabled    = true
    expression = "min by (instance) (probe_ssl_earliest_cert_expiry{job=\"blackbox-http\"}) - time() < 30 * 86400"
    for        = "PT10M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "The certificate served on {{ $labels.instance }} expires in {{ $value | humanizeDuration }}."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/tls-certificate-expiring.md"
      summary     = "TLS certificate of {{ $labels.instance }} expires in less than 30 days"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }
}

resource "azurerm_monitor_alert_prometheus_rule_group" "iot_api_business" {
  name                = "iot-api-business-${var.environment}"
  resource_group_name = var.resource_group_name
  location            = var.location
  scopes              = [azurerm_monitor_workspace.this.id]
  description         = "iot-api-business of observability/prometheus/rules/business.yml"
  rule_group_enabled  = true
  interval            = "PT1M"
  tags                = var.tags

  rule {
    alert      = "IngestionStalled"
    enabled    = true
    expression = <<-EOT
      (time() - max by (job) (iot_readings_last_ingest_timestamp_seconds{job="iot-api"}) > 15 * 60)
      and on (job)
      (max by (job) (iot_sensors_active{job="iot-api"}) > 0)
      unless on (job)
      (max by (job) (iot_maintenance_active{job="iot-api"}) == 1)
    EOT
    for        = "PT5M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "The last committed batch of readings is {{ $value | humanizeDuration }} old although sensors are registered and active."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/ingestion-stalled.md"
      summary     = "No reading ingested for more than 15 minutes while sensors are active"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "NotificationsFailing"
    enabled    = true
    expression = "sum by (job, channel_type) (increase(iot_notifications_deliveries_total{job=\"iot-api\", outcome=\"failed\"}[15m])) > 0"
    for        = "PT5M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "{{ $value | humanize }} notification(s) gave up after their retries in the last 15 minutes: people are not told about sensor alerts."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/notifications-failing.md"
      summary     = "Alert notifications fail on {{ $labels.channel_type }} channels"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }
}

resource "azurerm_monitor_alert_prometheus_rule_group" "iot_api_events" {
  name                = "iot-api-events-${var.environment}"
  resource_group_name = var.resource_group_name
  location            = var.location
  scopes              = [azurerm_monitor_workspace.this.id]
  description         = "iot-api-events of observability/prometheus/rules/events.yml"
  rule_group_enabled  = true
  interval            = "PT1M"
  tags                = var.tags

  rule {
    alert      = "EventPublicationStuck"
    enabled    = true
    expression = <<-EOT
      max by (job) (iot_events_publications_oldest_age_seconds{job="iot-api"}) > 15 * 60
      unless on (job)
      (max by (job) (iot_maintenance_active{job="iot-api"}) == 1)
    EOT
    for        = "PT5M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "The oldest event publication not yet processed by its listener is {{ $value | humanizeDuration }} old: a module listener keeps failing, so the module it feeds (alerts, readings) acts on stale data. GET /actuator/eventpublications shows the listener, the event and its attempts."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/event-publication-stuck.md"
      summary     = "An event between modules has not been processed for more than 15 minutes"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }
}

resource "azurerm_monitor_alert_prometheus_rule_group" "iot_api_operations" {
  name                = "iot-api-operations-${var.environment}"
  resource_group_name = var.resource_group_name
  location            = var.location
  scopes              = [azurerm_monitor_workspace.this.id]
  description         = "iot-api-operations of observability/prometheus/rules/operations.yml"
  rule_group_enabled  = true
  interval            = "PT1M"
  tags                = var.tags

  rule {
    alert      = "BackupMissing"
    enabled    = true
    expression = "time() - max by (job) (iot_backup_last_success_timestamp_seconds{job=\"iot-api\"}) > 26 * 3600"
    for        = "PT5M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "The last successful backup is {{ $value | humanizeDuration }} old. The daily schedule missed at least one run: the restore point objective for application backups is no longer met."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/backup-missing.md"
      summary     = "No successful database backup for more than 26 hours"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "BackupFailing"
    enabled    = true
    expression = "sum by (job, reason) (increase(iot_backup_failures_total{job=\"iot-api\"}[1h])) > 0"
    severity   = 2
    labels = {
      severity = "warning"
    }
    annotations = {
      description = "{{ $value | humanize }} backup attempt(s) failed in the last hour with reason {{ $labels.reason }}."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/backup-failing.md"
      summary     = "Database backups fail ({{ $labels.reason }})"
    }

    action {
      action_group_id = azurerm_monitor_action_group.warning.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "RestoreDrillFailed"
    enabled    = true
    expression = "max by (job) (iot_restore_drill_last_outcome{job=\"iot-api\"}) == 0"
    severity   = 2
    labels = {
      severity = "warning"
    }
    annotations = {
      description = "The newest backup could not be restored into the scratch database. Until a drill passes, nobody knows whether the backups can be restored."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/restore-drill-failed.md"
      summary     = "The last restore drill failed"
    }

    action {
      action_group_id = azurerm_monitor_action_group.warning.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "RestoreRunningTooLong"
    enabled    = true
    expression = "max by (job) (iot_restore_running{job=\"iot-api\"}) == 1"
    for        = "PT10M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "A restore started more than 10 minutes ago and has not finished: the database RTO (10 min) is exceeded and the API refuses writes meanwhile."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/restore-running-too-long.md"
      summary     = "A database restore has been running for more than 10 minutes"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "MaintenanceTooLong"
    enabled    = true
    expression = <<-EOT
      max by (job) (iot_maintenance_active{job="iot-api"}) == 1
      and on (job)
      time() - max by (job) (iot_maintenance_since_timestamp_seconds{job="iot-api"}) > 15 * 60
    EOT
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "Writes answer 503 since {{ $value | humanizeDuration }}. Sensors buffer readings, but the mobile app cannot change anything. A restore that died may have left the flag set."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/maintenance-too-long.md"
      summary     = "The API has been in maintenance mode for more than 15 minutes"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "DatabasePoolSaturated"
    enabled    = true
    expression = <<-EOT
      (max by (instance, pool) (hikaricp_connections_active{job="iot-api"} / hikaricp_connections_max{job="iot-api"}) >= 0.9)
      or
      (max by (instance, pool) (hikaricp_connections_pending{job="iot-api"}) > 5)
    EOT
    for        = "PT5M"
    severity   = 2
    labels = {
      severity = "warning"
    }
    annotations = {
      description = "The Hikari pool {{ $labels.pool }} is nearly exhausted or has threads waiting for a connection since 5 minutes; requests queue and time out after 5 s."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/database-pool-saturated.md"
      summary     = "Database connection pool saturated on {{ $labels.instance }}"
    }

    action {
      action_group_id = azurerm_monitor_action_group.warning.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }
}

resource "azurerm_monitor_alert_prometheus_rule_group" "iot_api_slo_recording" {
  name                = "iot-api-slo-recording-${var.environment}"
  resource_group_name = var.resource_group_name
  location            = var.location
  scopes              = [azurerm_monitor_workspace.this.id]
  description         = "iot-api-slo-recording of observability/prometheus/rules/slo.yml"
  rule_group_enabled  = true
  interval            = "PT1M"
  tags                = var.tags

  rule {
    record     = "iot:http_requests:rate5m"
    enabled    = true
    expression = "sum(rate(http_server_requests_seconds_count{job=\"iot-api\", uri!~\"/actuator.*\"}[5m]))"
  }

  rule {
    record     = "iot:http_errors:ratio_rate5m"
    enabled    = true
    expression = <<-EOT
      (sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*", status=~"5.."}[5m]))
        or vector(0))
      / sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*"}[5m]))
    EOT
  }

  rule {
    record     = "iot:http_errors:ratio_rate30m"
    enabled    = true
    expression = <<-EOT
      (sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*", status=~"5.."}[30m]))
        or vector(0))
      / sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*"}[30m]))
    EOT
  }

  rule {
    record     = "iot:http_errors:ratio_rate1h"
    enabled    = true
    expression = <<-EOT
      (sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*", status=~"5.."}[1h]))
        or vector(0))
      / sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*"}[1h]))
    EOT
  }

  rule {
    record     = "iot:http_errors:ratio_rate2h"
    enabled    = true
    expression = <<-EOT
      (sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*", status=~"5.."}[2h]))
        or vector(0))
      / sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*"}[2h]))
    EOT
  }

  rule {
    record     = "iot:http_errors:ratio_rate6h"
    enabled    = true
    expression = <<-EOT
      (sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*", status=~"5.."}[6h]))
        or vector(0))
      / sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*"}[6h]))
    EOT
  }

  rule {
    record     = "iot:http_errors:ratio_rate1d"
    enabled    = true
    expression = <<-EOT
      (sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*", status=~"5.."}[1d]))
        or vector(0))
      / sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*"}[1d]))
    EOT
  }

  rule {
    record     = "iot:http_errors:ratio_rate3d"
    enabled    = true
    expression = <<-EOT
      (sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*", status=~"5.."}[3d]))
        or vector(0))
      / sum(rate(http_server_requests_seconds_count{job="iot-api", uri!~"/actuator.*"}[3d]))
    EOT
  }

  rule {
    record     = "iot:http_request_duration_seconds:p99_5m"
    enabled    = true
    expression = <<-EOT
      histogram_quantile(0.99,
        sum by (le) (rate(http_server_requests_seconds_bucket{job="iot-api", uri!~"/actuator.*|.*/stream"}[5m])))
    EOT
  }
}

resource "azurerm_monitor_alert_prometheus_rule_group" "iot_api_slo_alerts" {
  name                = "iot-api-slo-alerts-${var.environment}"
  resource_group_name = var.resource_group_name
  location            = var.location
  scopes              = [azurerm_monitor_workspace.this.id]
  description         = "iot-api-slo-alerts of observability/prometheus/rules/slo.yml"
  rule_group_enabled  = true
  interval            = "PT1M"
  tags                = var.tags

  rule {
    alert      = "LatencyP99AboveSlo"
    enabled    = true
    expression = "iot:http_request_duration_seconds:p99_5m > 0.5 and on() iot:http_requests:rate5m > 0.1"
    for        = "PT10M"
    severity   = 2
    labels = {
      severity = "warning"
    }
    annotations = {
      description = "The 99th percentile of API request durations over 5 minutes is {{ $value | humanizeDuration }} since 10 minutes (SLO: 500 ms). Look at the database pool, CPU and the slowest endpoints."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/latency-p99-above-slo.md"
      summary     = "p99 latency of the IoT API above the 500 ms SLO ({{ $value | humanizeDuration }})"
    }

    action {
      action_group_id = azurerm_monitor_action_group.warning.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "ErrorBudgetBurnFast"
    enabled    = true
    expression = <<-EOT
      (iot:http_errors:ratio_rate1h > (14.4 * 0.001) and iot:http_errors:ratio_rate5m > (14.4 * 0.001))
      or
      (iot:http_errors:ratio_rate6h > (6 * 0.001) and iot:http_errors:ratio_rate30m > (6 * 0.001))
    EOT
    for        = "PT2M"
    severity   = 0
    labels = {
      severity = "critical"
    }
    annotations = {
      description = "At this rate the 30-day 99.9 % availability budget is gone in less than 5 days."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/error-budget-burn.md"
      summary     = "IoT API burns its error budget fast (error ratio {{ $value | humanizePercentage }})"
    }

    action {
      action_group_id = azurerm_monitor_action_group.critical.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "ErrorBudgetBurnSlow"
    enabled    = true
    expression = <<-EOT
      (iot:http_errors:ratio_rate1d > (3 * 0.001) and iot:http_errors:ratio_rate2h > (3 * 0.001))
      or
      (iot:http_errors:ratio_rate3d > 0.001 and iot:http_errors:ratio_rate6h > 0.001)
    EOT
    for        = "PT15M"
    severity   = 2
    labels = {
      severity = "warning"
    }
    annotations = {
      description = "The error ratio over the last day or three days exceeds the SLO's budget rate."
      runbook_url = "https://github.com/acme/iot-api/blob/main/runbooks/error-budget-burn.md"
      summary     = "IoT API error budget burning slowly (error ratio {{ $value | humanizePercentage }})"
    }

    action {
      action_group_id = azurerm_monitor_action_group.warning.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }
}
