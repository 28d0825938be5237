package com.acme.iot.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.StringUtils;

import com.acme.iot.platform.web.ApiProblem;

/**
 * Issues, lists, revokes and authenticates API tokens, and makes sure a fresh installation has an admin.
 */
@Service
public class ApiTokenManagement {

	private static final Logger log = LoggerFactory.getLogger(ApiTokenManagement.class);

	private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

	private static final long BOOTSTRAP_LOCK = 0x1071_0001L;

	private final ApiTokenRepository tokens;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Map<UUID, Instant> lastTouched = new ConcurrentHashMap<>();

	ApiTokenManagement(ApiTokenRepository tokens, JdbcClient jdbc, Clock clock) {
		this.tokens = tokens;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** A token just issued: the only moment its secret is known. */
	public record IssuedToken(ApiToken token, String secret) {
	}

	@Transactional
	public IssuedToken issue(String name, Role role) {
		String secret = SecretTokens.generate(SecretTokens.API_PREFIX);
		ApiToken token = this.tokens.save(ApiToken.issue(name, role, SecretTokens.hash(secret), this.clock.instant()));
		log.info("Issued API token '{}' ({}) with role {}", name, token.getId(), role);
		return new IssuedToken(token, secret);
	}

	@Transactional(readOnly = true)
	public List<ApiToken> list() {
		return this.tokens.findAllByOrderByCreatedAtAsc();
	}

	@Transactional
	public void revoke(UUID id) {
		ApiToken token = this.tokens.findById(id).orElseThrow(() -> ApiProblem.notFound("Token", id));
		if (!token.isRevoked()) {
			token.revoke(this.clock.instant());
			this.tokens.save(token);
			log.info("Revoked API token '{}' ({})", token.getName(), id);
		}
	}

	/**
	 * Finds the live token for a presented secret; records its use at most once a minute per token so
	 * authentication does not turn every read into a write.
	 */
	public Optional<ApiToken> authenticate(String secret) {
		Optional<ApiToken> token = this.tokens.findBySecretHash(SecretTokens.hash(secret))
			.filter(candidate -> !candidate.isRevoked());
		token.ifPresent(this::recordUse);
		return token;
	}

	private void recordUse(ApiToken token) {
		Instant now = this.clock.instant();
		Instant previous = this.lastTouched.get(token.getId());
		if (previous == null || previous.plus(LAST_USED_RESOLUTION).isBefore(now)) {
			this.lastTouched.put(token.getId(), now);
			try {
				this.tokens.touch(token.getId(), now);
			}
			catch (RuntimeException ex) {
				log.debug("Could not record the use of token {}: {}", token.getId(), ex.getMessage());
			}
		}
	}

	/**
	 * Installs the bootstrap admin token: the one from {@code IOT_ADMIN_TOKEN} when given, otherwise a
	 * generated one written to {@code adminTokenFile} — but only when no admin token exists yet. The secret
	 * itself is never logged.
	 * @return the file a generated secret was written to, if one was generated
	 */
	@Transactional
	public Optional<Path> bootstrapAdmin(@Nullable String environmentToken, Path adminTokenFile) {
		this.jdbc.sql("select pg_advisory_xact_lock(?)").param(BOOTSTRAP_LOCK).query().singleRow();
		if (StringUtils.hasText(environmentToken)) {
			installBootstrap(environmentToken.strip(), "IOT_ADMIN_TOKEN");
			return Optional.empty();
		}
		if (this.tokens.countActiveAdmins() > 0) {
			return Optional.empty();
		}
		String secret = SecretTokens.generate(SecretTokens.API_PREFIX);
		installBootstrap(secret, "a generated secret");
		writeSecret(adminTokenFile, secret);
		log.warn("No admin token existed: generated one and wrote it to {} (readable by this user only)",
				adminTokenFile.toAbsolutePath());
		return Optional.of(adminTokenFile);
	}

	/**
	 * A bootstrap secret seen before keeps its token exactly as it is, so a revocation outlives restarts; a new
	 * secret retires the previous bootstrap token (revoked, still listed) and issues a new one.
	 */
	private void installBootstrap(String secret, String source) {
		String hash = SecretTokens.hash(secret);
		Optional<ApiToken> known = this.tokens.findBySecretHash(hash);
		if (known.isPresent()) {
			if (known.get().isRevoked()) {
				log.warn("The bootstrap admin token from {} was revoked and stays revoked; set a new value to issue "
						+ "a new one", source);
			}
			else {
				log.info("Bootstrap admin token from {} unchanged", source);
			}
			return;
		}
		java.sql.Timestamp now = java.sql.Timestamp.from(this.clock.instant());
		this.jdbc.sql("""
				update api_token set bootstrap = false, revoked_at = coalesce(revoked_at, :now), version = version + 1
				where bootstrap""").param("now", now).update();
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into api_token (id, name, role, secret_hash, bootstrap, created_at, version)
				values (:id, 'bootstrap-admin', 'ADMIN', :hash, true, :now, 0)""")
			.param("id", id)
			.param("hash", hash)
			.param("now", now)
			.update();
		log.info("Issued bootstrap admin token {} from {}; the previous one, if any, is revoked", id, source);
	}

	private static void writeSecret(Path file, String secret) {
		try {
			Path absolute = file.toAbsolutePath();
			Files.createDirectories(absolute.getParent());
			Files.deleteIfExists(absolute);
			if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
				Files.createFile(absolute,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			else {
				Files.createFile(absolute);
			}
			Files.writeString(absolute, secret + System.lineSeparator(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the bootstrap admin token to " + file, ex);
		}
	}

}
