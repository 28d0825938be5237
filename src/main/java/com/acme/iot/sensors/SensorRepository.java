package com.acme.iot.sensors;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

interface SensorRepository extends ListCrudRepository<Sensor, UUID>, SensorSearch {

	@Query("select count(*) > 0 from sensor where lower(site) = lower(:site) and lower(name) = lower(:name) and id <> :exceptId")
	boolean nameTaken(String site, String name, UUID exceptId);

	@Query("select count(*) from sensor where status = 'ACTIVE'")
	long countActive();

	/** A decommissioned sensor's token no longer authenticates: its device is gone, not merely refused. */
	@Query("select id from sensor where device_token_hash = :hash and status = 'ACTIVE'")
	Optional<UUID> findIdByDeviceTokenHash(String hash);

}
