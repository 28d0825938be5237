package com.acme.iot.platform.outbound;

import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where outbound requests (webhooks, Slack, any receiver a user names) may go beyond the public internet.
 *
 * @param allowedInternalHosts host names, exactly as written in receiver URLs (e.g. {@code alerts.internal}
 * or {@code 10.1.2.3}), that may resolve to internal addresses: receivers the operator runs inside the
 * network on purpose. Every other URL reaching a loopback, private, link-local, CGNAT, multicast or
 * otherwise non-public address is refused. None by default.
 */
@ConfigurationProperties("iot.notifications")
public record OutboundSettings(@DefaultValue List<String> allowedInternalHosts) {

	boolean allows(String host) {
		String name = normalize(host);
		return this.allowedInternalHosts.stream().anyMatch(allowed -> normalize(allowed).equals(name));
	}

	/** A host as compared and resolved: lower case, no IPv6 brackets or zone id, no final dot. */
	static String normalize(String host) {
		String name = host.strip().toLowerCase(Locale.ROOT);
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		int zone = name.indexOf('%');
		if (name.contains(":") && zone > 0) {
			name = name.substring(0, zone);
		}
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

}
