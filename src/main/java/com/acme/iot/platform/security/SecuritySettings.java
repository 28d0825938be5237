package com.acme.iot.platform.security;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Security settings. Secrets never live here: the bootstrap admin token comes from {@code IOT_ADMIN_TOKEN}.
 *
 * @param adminTokenFile where a generated bootstrap admin token is written (mode 0600) when
 * {@code IOT_ADMIN_TOKEN} is unset on the first start
 * @param jwt how JWTs of OAuth2 users map to roles
 * @param cors origins allowed to call the API from a browser; none by default
 * @param authThrottle how repeated failed authentication from one client is slowed down
 */
@ConfigurationProperties("iot.security")
public record SecuritySettings(@DefaultValue("./data/admin-token") Path adminTokenFile, @DefaultValue Jwt jwt,
		@DefaultValue Cors cors, @DefaultValue AuthThrottle authThrottle) {

	/**
	 * @param maxFailures failed authentications one client address may make within {@code window} before its
	 * requests with credentials answer 429 until the window ends
	 * @param window length of the counting window
	 */
	public record AuthThrottle(@DefaultValue("10") int maxFailures, @DefaultValue("PT1M") java.time.Duration window) {
	}

	/**
	 * @param roleClaim claim holding the user's roles (Entra ID app roles arrive in {@code roles})
	 * @param principalClaim claim naming the user in audit logs
	 */
	public record Jwt(@DefaultValue("roles") String roleClaim, @DefaultValue("sub") String principalClaim) {
	}

	/**
	 * @param allowedOrigins exact origins, e.g. {@code https://app.example.com}
	 */
	public record Cors(@DefaultValue List<String> allowedOrigins) {
	}

}
