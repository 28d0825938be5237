package com.acme.iot.platform.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

interface ApiTokenRepository extends ListCrudRepository<ApiToken, UUID> {

	Optional<ApiToken> findBySecretHash(String secretHash);

	List<ApiToken> findAllByOrderByCreatedAtAsc();

	@Query("select count(*) from api_token where role = 'ADMIN' and revoked_at is null")
	long countActiveAdmins();

	@Modifying
	@Query("update api_token set last_used_at = :now where id = :id")
	void touch(UUID id, Instant now);

}
