package com.acme.iot.platform.security;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates the opaque bearer secrets this service issues itself — API tokens and device tokens — and
 * steps aside for anything shaped like a JWT so the JWT provider can take it.
 */
class BearerSecretAuthenticationProvider implements AuthenticationProvider {

	private final ApiTokenManagement apiTokens;

	private final ObjectProvider<DeviceTokenResolver> devices;

	BearerSecretAuthenticationProvider(ApiTokenManagement apiTokens, ObjectProvider<DeviceTokenResolver> devices) {
		this.apiTokens = apiTokens;
		this.devices = devices;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String secret = ((BearerTokenAuthenticationToken) authentication).getToken();
		if (looksLikeJwt(secret)) {
			return null;
		}
		if (secret.startsWith(SecretTokens.DEVICE_PREFIX)) {
			String hash = SecretTokens.hash(secret);
			return this.devices.orderedStream()
				.map(resolver -> resolver.resolve(hash))
				.flatMap(java.util.Optional::stream)
				.findFirst()
				.map(device -> (Authentication) new Authenticated(device, Role.DEVICE_AUTHORITY))
				.orElseThrow(() -> new BadCredentialsException("Unknown or rotated device token"));
		}
		return this.apiTokens.authenticate(secret)
			.map(token -> (Authentication) new Authenticated(
					new TokenPrincipal(token.getId(), token.getName(), token.getRole()), token.getRole().authority()))
			.orElseThrow(() -> new BadCredentialsException("Unknown or revoked token"));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
	}

	static boolean looksLikeJwt(String token) {
		return token.chars().filter(c -> c == '.').count() == 2 && token.startsWith("ey");
	}

	/** The authentication of an API or device token. */
	static final class Authenticated extends AbstractAuthenticationToken {

		private final java.security.Principal principal;

		Authenticated(java.security.Principal principal, String authority) {
			super(List.of(new SimpleGrantedAuthority(authority)));
			this.principal = principal;
			setAuthenticated(true);
		}

		@Override
		public Object getCredentials() {
			return "";
		}

		@Override
		public Object getPrincipal() {
			return this.principal;
		}

		@Override
		public String getName() {
			return this.principal.getName();
		}

	}

}
