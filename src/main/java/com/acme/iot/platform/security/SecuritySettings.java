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
	 * @param maxFailures failed authentications one credential may make from one client address within
	 * {@code window} before that credential answers 429 from that address until the window ends; other
	 * credentials from the same address are not affected
	 * @param maxFailuresPerAddress failed authentications, whatever the credential, one client address (an IPv6
	 * /64) may make within {@code window} before it answers 429 to every credential that has not authenticated
	 * successfully in the last hour: a ceiling against spraying many tokens
	 * @param window length of the counting window
	 */
	public record AuthThrottle(@DefaultValue("10") int maxFailures, @DefaultValue("100") int maxFailuresPerAddress,
			@DefaultValue("PT1M") java.time.Duration window) {
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
