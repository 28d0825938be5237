package com.acme.iot.alerts.notifications;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

import com.acme.iot.alerts.support.AlertSettings;
import com.acme.iot.platform.outbound.OutboundHttp;

/**
 * Sends one notification over one channel, throwing when the receiver did not accept it. Webhooks and Slack
 * go through the platform's outbound client, which refuses internal addresses when it connects and reads
 * only the receiver's status code.
 */
@Component
public class NotificationSenders {

	static final String SIGNATURE_HEADER = "X-Signature-256";

	private final OutboundHttp.Client http;

	private final JsonMapper json;

	private final ObjectProvider<JavaMailSender> mail;

	private final AlertSettings settings;

	NotificationSenders(JsonMapper json, ObjectProvider<JavaMailSender> mail, AlertSettings settings,
			OutboundHttp outbound) {
		this.json = json;
		this.mail = mail;
		this.settings = settings;
		this.http = outbound.client(settings.notifications().connectTimeout(),
				settings.notifications().requestTimeout());
	}

	void send(NotificationChannel channel, NotificationDelivery delivery) throws Exception {
		NotificationPayload payload = this.json.readValue(delivery.payload(), NotificationPayload.class);
		switch (channel.type()) {
			case WEBHOOK -> webhook(channel, delivery);
			case SLACK -> post(channel, this.json.writeValueAsString(slackMessage(payload)), null, delivery);
			case EMAIL -> email(channel, payload);
		}
	}

	private void webhook(NotificationChannel channel, NotificationDelivery delivery) throws Exception {
		String body = delivery.payload();
		String signature = channel.secret() == null ? null : "sha256=" + hmacSha256(channel.secret(), body);
		post(channel, body, signature, delivery);
	}

	private void post(NotificationChannel channel, String body, @Nullable String signature,
			NotificationDelivery delivery) throws IOException {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("User-Agent", "iot-api-alerts");
		headers.put("X-Alert-Event", delivery.event().name());
		headers.put("X-Delivery-Id", delivery.id().toString());
		if (signature != null) {
			headers.put(SIGNATURE_HEADER, signature);
		}
		int status = this.http.postJson(String.valueOf(channel.url()), headers, body);
		if (status / 100 != 2) {
			// The status code only: a receiver's answer could be anything it can reach, echoed back to us.
			throw new IOException("HTTP " + status + " from the receiver");
		}
	}

	/** Slack's incoming-webhook format: a plain {@code text} fallback plus Block Kit blocks. */
	static Map<String, Object> slackMessage(NotificationPayload payload) {
		return Map.of("text", payload.headline(), "blocks",
				List.of(Map.of("type", "header", "text",
						Map.of("type", "plain_text", "text", truncate(payload.headline(), 150))),
						Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", payload.details())),
						Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text",
								"alert `" + payload.alert().id() + "` · " + payload.event() + " at "
										+ payload.occurredAt())))));
	}

	private void email(NotificationChannel channel, NotificationPayload payload) {
		JavaMailSender sender = this.mail.getIfAvailable();
		if (sender == null) {
			throw new IllegalStateException("No mail server configured (spring.mail.host)");
		}
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.settings.notifications().mailFrom());
		message.setTo(channel.recipients().toArray(String[]::new));
		message.setSubject(payload.headline());
		message.setText(payload.headline() + "\n\n" + payload.details() + "\n");
		sender.send(message);
	}

	public static String hmacSha256(String secret, String body) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
	}

	private static String truncate(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max - 1) + "…";
	}

}
