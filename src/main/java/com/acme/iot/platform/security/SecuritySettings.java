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
 */
@ConfigurationProperties("iot.security")
public record SecuritySettings(@DefaultValue("./data/admin-token") Path adminTokenFile, @DefaultValue Jwt jwt,
		@DefaultValue Cors cors) {

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
