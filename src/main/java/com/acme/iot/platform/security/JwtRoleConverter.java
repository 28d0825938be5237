package com.acme.iot.platform.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Maps a user's JWT to this API's roles, read from a configurable claim (a string or an array of strings,
 * e.g. Entra ID app roles {@code ["OPERATOR"]}); values that are not a role are ignored.
 */
class JwtRoleConverter implements Converter<Jwt, AbstractAuthenticationToken> {

	private final SecuritySettings.Jwt settings;

	JwtRoleConverter(SecuritySettings.Jwt settings) {
		this.settings = settings;
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		for (String value : claimValues(jwt.getClaim(this.settings.roleClaim()))) {
			String candidate = value.strip().toUpperCase(Locale.ROOT);
			for (Role role : Role.values()) {
				if (role.name().equals(candidate)) {
					authorities.add(new SimpleGrantedAuthority(role.authority()));
				}
			}
		}
		String name = jwt.getClaimAsString(this.settings.principalClaim());
		return new JwtAuthenticationToken(jwt, authorities, "jwt:" + (name != null ? name : jwt.getSubject()));
	}

	private static Collection<String> claimValues(Object claim) {
		if (claim instanceof String single) {
			return List.of(single.split("[ ,]"));
		}
		if (claim instanceof Collection<?> many) {
			return many.stream().map(String::valueOf).toList();
		}
		return List.of();
	}

}
