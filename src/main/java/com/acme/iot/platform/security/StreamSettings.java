package com.acme.iot.platform.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on live streams (Server-Sent Events), which hold a connection and a poller's attention for as long
 * as the client stays.
 *
 * @param maxPerCaller live streams one caller (one API token, device or JWT subject) may hold at once on one
 * replica, readings and alerts streams together; beyond, opening another answers 429
 * @param retryAfter the {@code Retry-After} of that 429
 */
@ConfigurationProperties("iot.streams")
public record StreamSettings(@DefaultValue("10") int maxPerCaller, @DefaultValue("PT10S") Duration retryAfter) {
}
