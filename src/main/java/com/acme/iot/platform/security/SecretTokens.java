package com.acme.iot.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Generates bearer secrets and the SHA-256 hashes they are stored as. Secrets carry 256 random bits, so a
 * fast hash is the right tool: there is nothing to brute-force, and look-ups stay one indexed query.
 */
public final class SecretTokens {

	/** Prefix of API tokens. */
	public static final String API_PREFIX = "iot_";

	/** Prefix of device tokens. */
	public static final String DEVICE_PREFIX = "dev_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private SecretTokens() {
	}

	public static String generate(String prefix) {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	public static String hash(String secret) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by the Java platform", ex);
		}
	}

}
