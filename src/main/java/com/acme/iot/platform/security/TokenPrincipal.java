package com.acme.iot.platform.security;

import java.security.Principal;
import java.util.UUID;

/**
 * A caller authenticated by an API token.
 */
public record TokenPrincipal(UUID tokenId, String tokenName, Role role) implements Principal {

	@Override
	public String getName() {
		return "token:" + this.tokenName;
	}

}
