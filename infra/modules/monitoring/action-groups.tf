# Where alerts go, the seed's notification policy: critical -> PagerDuty (production, 24/7 on-call), Slack
# #alerts and the escalation mailbox; warning -> Slack #alerts. Azure Monitor cannot delay a notification, so
# the "escalate by e-mail after 30 minutes unacknowledged" of the local Alertmanager is PagerDuty's escalation
# policy here, and the mailbox gets critical alerts at once.

# Slack rejects Azure Monitor's payload (it needs "text"): a Logic App turns the common alert schema into a
# Slack message. The webhook URL is a sensitive variable; it lives in the state and the Logic App definition,
# both readable only by the deployer identity and the environment's owners.
resource "azurerm_logic_app_workflow" "slack" {
  name                = "logic-${local.prefix}-slack"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

resource "azurerm_logic_app_trigger_http_request" "alert" {
  name         = "azure-monitor-alert"
  logic_app_id = azurerm_logic_app_workflow.slack.id
  schema       = jsonencode({ type = "object" })
}

resource "azurerm_logic_app_action_http" "slack" {
  name         = "post-to-slack"
  logic_app_id = azurerm_logic_app_workflow.slack.id
  method       = "POST"
  uri          = var.slack_webhook_url
  headers      = { "Content-Type" = "application/json" }
  body = jsonencode({
    text = join("\n", [
      "*[@{triggerBody()?['data']?['essentials']?['monitorCondition']}] @{triggerBody()?['data']?['essentials']?['alertRule']}* (@{triggerBody()?['data']?['essentials']?['severity']}, ${var.environment})",
      "@{coalesce(triggerBody()?['data']?['alertContext']?['annotations']?['summary'], triggerBody()?['data']?['essentials']?['description'], '')}",
      "Runbook: @{coalesce(triggerBody()?['data']?['alertContext']?['annotations']?['runbook_url'], '${local.runbooks}/README.md')}",
    ])
  })
}

resource "azurerm_monitor_action_group" "critical" {
  name                = "ag-${local.prefix}-critical"
  resource_group_name = var.resource_group_name
  short_name          = substr("iot-crit-${var.environment}", 0, 12)
  tags                = var.tags

  logic_app_receiver {
    name                    = "slack-alerts"
    resource_id             = azurerm_logic_app_workflow.slack.id
    callback_url            = azurerm_logic_app_trigger_http_request.alert.callback_url
    use_common_alert_schema = true
  }

  email_receiver {
    name                    = "escalation-mailbox"
    email_address           = var.alert_email
    use_common_alert_schema = true
  }

  dynamic "webhook_receiver" {
    # only whether a key is set is revealed, not the key (for_each refuses sensitive values)
    for_each = nonsensitive(var.pagerduty_integration_key != "") ? [1] : []
    content {
      name                    = "pagerduty"
      service_uri             = "https://events.pagerduty.com/integration/${var.pagerduty_integration_key}/enqueue"
      use_common_alert_schema = true
    }
  }
}

resource "azurerm_monitor_action_group" "warning" {
  name                = "ag-${local.prefix}-warning"
  resource_group_name = var.resource_group_name
  short_name          = substr("iot-warn-${var.environment}", 0, 12)
  tags                = var.tags

  logic_app_receiver {
    name                    = "slack-alerts"
    resource_id             = azurerm_logic_app_workflow.slack.id
    callback_url            = azurerm_logic_app_trigger_http_request.alert.callback_url
    use_common_alert_schema = true
  }
}

output "critical_action_group_id" {
  value = azurerm_monitor_action_group.critical.id
}

output "warning_action_group_id" {
  value = azurerm_monitor_action_group.warning.id
}
