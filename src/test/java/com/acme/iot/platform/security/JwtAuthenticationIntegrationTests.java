package com.acme.iot.platform.security;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.acme.iot.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OAuth2 users: JWTs signed by a key pair made here, whose public half is served as a JWK set on loopback,
 * the way Entra ID serves its keys.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class JwtAuthenticationIntegrationTests {

	static final RSAKey signingKey = generate("issuer-key");

	static final RSAKey foreignKey = generate("issuer-key");

	static HttpServer jwkSetServer;

	@LocalServerPort
	int port;

	ApiClient client;

	@DynamicPropertySource
	static void jwkSet(DynamicPropertyRegistry registry) throws IOException {
		jwkSetServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		byte[] keys = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		jwkSetServer.createContext("/keys", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, keys.length);
			exchange.getResponseBody().write(keys);
			exchange.close();
		});
		jwkSetServer.start();
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
				() -> "http://127.0.0.1:" + jwkSetServer.getAddress().getPort() + "/keys");
	}

	@AfterAll
	static void stopJwkSetServer() {
		jwkSetServer.stop(0);
	}

	@BeforeEach
	void setUp() {
		this.client = new ApiClient(this.port, null);
	}

	@Test
	void acceptsAUserWhoseRoleClaimGrantsOperator() {
		ApiClient operator = this.client.as(jwt(signingKey, "alice", "[\"OPERATOR\"]", Instant.now().plusSeconds(300)));
		String site = "jwt-" + UUID.randomUUID();

		var created = operator.post("/api/sensors", "{\"name\":\"n\",\"kind\":\"CO2\",\"site\":\"" + site + "\"}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(operator.get("/api/sensors?site=" + site).status()).isEqualTo(200);
	}

	@Test
	void limitsAReaderToReading() {
		ApiClient reader = this.client.as(jwt(signingKey, "bob", "[\"reader\"]", Instant.now().plusSeconds(300)));

		assertThat(reader.get("/api/sensors").status()).isEqualTo(200);
		assertThat(reader.post("/api/sensors", "{\"name\":\"n\",\"kind\":\"CO2\",\"site\":\"s\"}").status())
			.isEqualTo(403);
		assertThat(reader.get("/api/tokens").status()).isEqualTo(403);
	}

	@Test
	void acceptsARoleClaimGivenAsAString() {
		ApiClient admin = this.client.as(jwt(signingKey, "carol", "\"ADMIN\"", Instant.now().plusSeconds(300)));

		assertThat(admin.get("/api/tokens").status()).isEqualTo(200);
	}

	@Test
	void forbidsAUserWithoutARole() {
		ApiClient nobody = this.client.as(jwt(signingKey, "dave", null, Instant.now().plusSeconds(300)));

		assertThat(nobody.get("/api/sensors").status()).isEqualTo(403);
	}

	@Test
	void rejectsATokenSignedByAnotherKey() {
		ApiClient forger = this.client.as(jwt(foreignKey, "mallory", "[\"ADMIN\"]", Instant.now().plusSeconds(300)));

		var response = forger.get("/api/sensors");

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void rejectsAnExpiredToken() {
		ApiClient late = this.client.as(jwt(signingKey, "erin", "[\"ADMIN\"]", Instant.now().minusSeconds(600)));

		assertThat(late.get("/api/sensors").status()).isEqualTo(401);
	}

	@Test
	void keepsAcceptingApiTokensNextToJwts() {
		assertThat(this.client.as("test-admin-token").get("/api/tokens").status()).isEqualTo(200);
	}

	static String jwt(RSAKey key, String subject, String rolesJson, Instant expiresAt) {
		try {
			JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
				.issuer("https://login.example.com/tenant/v2.0")
				.issueTime(Date.from(expiresAt.minusSeconds(900)))
				.expirationTime(Date.from(expiresAt));
			if (rolesJson != null) {
				claims.claim("roles", ApiClient.JSON.readValue(rolesJson, Object.class));
			}
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims.build());
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static RSAKey generate(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
