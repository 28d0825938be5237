package com.acme.iot.platform.security;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Makes sure the service can be administered from its first start: see
 * {@link ApiTokenManagement#bootstrapAdmin}. A short {@code IOT_ADMIN_TOKEN} is refused before the service
 * starts serving, except in the local environment, where it is only warned about.
 */
@Component
class AdminTokenBootstrap implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(AdminTokenBootstrap.class);

	static final String ADMIN_TOKEN_VARIABLE = "IOT_ADMIN_TOKEN";

	static final int MIN_LENGTH = 32;

	static final String LOCAL = "local";

	private final ApiTokenManagement tokens;

	private final SecuritySettings settings;

	private final Environment environment;

	AdminTokenBootstrap(ApiTokenManagement tokens, SecuritySettings settings, Environment environment) {
		this.tokens = tokens;
		this.settings = settings;
		this.environment = environment;
		checkLength(environment.getProperty(ADMIN_TOKEN_VARIABLE),
				environment.getProperty("iot.release.environment", LOCAL));
	}

	static void checkLength(@Nullable String token, String deployment) {
		if (!StringUtils.hasText(token) || token.strip().length() >= MIN_LENGTH) {
			return;
		}
		if (LOCAL.equals(deployment)) {
			log.warn("{} is shorter than {} characters: accepted because iot.release.environment is '{}', refused "
					+ "anywhere else", ADMIN_TOKEN_VARIABLE, MIN_LENGTH, LOCAL);
			return;
		}
		throw new IllegalStateException(ADMIN_TOKEN_VARIABLE + " is " + token.strip().length() + " characters long; "
				+ "outside the local environment (iot.release.environment is '" + deployment + "') it must be at "
				+ "least " + MIN_LENGTH + " characters, e.g. the output of 'openssl rand -base64 32'. The service "
				+ "does not start with a guessable admin token.");
	}

	@Override
	public void run(ApplicationArguments args) {
		this.tokens.bootstrapAdmin(this.environment.getProperty(ADMIN_TOKEN_VARIABLE), this.settings.adminTokenFile());
	}

}
