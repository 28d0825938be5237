package com.acme.iot.sensors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Finds the page's ids with one indexed query ordered by {@code lower(name)}, then loads those aggregates.
 */
class SensorSearchImpl implements SensorSearch {

	private final JdbcClient jdbc;

	private final JdbcAggregateTemplate aggregates;

	SensorSearchImpl(JdbcClient jdbc, JdbcAggregateTemplate aggregates) {
		this.jdbc = jdbc;
		this.aggregates = aggregates;
	}

	@Override
	public long count(SensorManagement.SensorFilter filter) {
		return filtered("select count(*) from sensor", filter, "").query(Long.class).single();
	}

	@Override
	public List<Sensor> search(SensorManagement.SensorFilter filter, long offset, int limit) {
		List<UUID> ids = filtered("select id from sensor", filter,
				" order by lower(name), id limit :limit offset :offset")
			.param("limit", limit)
			.param("offset", offset)
			.query(UUID.class)
			.list();
		if (ids.isEmpty()) {
			return List.of();
		}
		Map<UUID, Sensor> byId = new ArrayList<>(this.aggregates.findAllById(ids, Sensor.class)).stream()
			.collect(Collectors.toMap(sensor -> sensor.getId().value(), Function.identity()));
		return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
	}

	private JdbcClient.StatementSpec filtered(String select, SensorManagement.SensorFilter filter, String tail) {
		StringBuilder sql = new StringBuilder(select).append(" where true");
		if (filter.site() != null) {
			sql.append(" and site = :site");
		}
		if (filter.kind() != null) {
			sql.append(" and kind = :kind");
		}
		if (filter.status() != null) {
			sql.append(" and status = :status");
		}
		JdbcClient.StatementSpec statement = this.jdbc.sql(sql.append(tail).toString());
		if (filter.site() != null) {
			statement = statement.param("site", filter.site());
		}
		if (filter.kind() != null) {
			statement = statement.param("kind", filter.kind().name());
		}
		if (filter.status() != null) {
			statement = statement.param("status", filter.status().name());
		}
		return statement;
	}

}
