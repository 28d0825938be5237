package com.acme.iot.alerts.notifications;

/**
 * How a notification channel delivers: a JSON POST, a Slack incoming webhook, or an e-mail.
 */
public enum ChannelType {

	WEBHOOK, SLACK, EMAIL

}
