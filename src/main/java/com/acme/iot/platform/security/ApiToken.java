package com.acme.iot.platform.security;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An API token: a named bearer secret with one role, stored only as its SHA-256 hash.
 */
@Table("api_token")
public class ApiToken {

	@Id
	private final UUID id;

	private final String name;

	private final Role role;

	private final String secretHash;

	private final boolean bootstrap;

	private final Instant createdAt;

	private @Nullable Instant lastUsedAt;

	private @Nullable Instant revokedAt;

	@Version
	private @Nullable Long version;

	@PersistenceCreator
	ApiToken(UUID id, String name, Role role, String secretHash, boolean bootstrap, Instant createdAt,
			@Nullable Instant lastUsedAt, @Nullable Instant revokedAt, @Nullable Long version) {
		this.id = id;
		this.name = name;
		this.role = role;
		this.secretHash = secretHash;
		this.bootstrap = bootstrap;
		this.createdAt = createdAt;
		this.lastUsedAt = lastUsedAt;
		this.revokedAt = revokedAt;
		this.version = version;
	}

	static ApiToken issue(String name, Role role, String secretHash, Instant now) {
		return new ApiToken(UUID.randomUUID(), name, role, secretHash, false, now, null, null, null);
	}

	public UUID getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public Role getRole() {
		return this.role;
	}

	String getSecretHash() {
		return this.secretHash;
	}

	public boolean isBootstrap() {
		return this.bootstrap;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public @Nullable Instant getLastUsedAt() {
		return this.lastUsedAt;
	}

	public @Nullable Instant getRevokedAt() {
		return this.revokedAt;
	}

	public boolean isRevoked() {
		return this.revokedAt != null;
	}

	void revoke(Instant now) {
		if (this.revokedAt == null) {
			this.revokedAt = now;
		}
	}

}
