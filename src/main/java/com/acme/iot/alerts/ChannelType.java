package com.acme.iot.alerts;

/**
 * How a notification channel delivers: a JSON POST, a Slack incoming webhook, or an e-mail.
 */
enum ChannelType {

	WEBHOOK, SLACK, EMAIL

}
