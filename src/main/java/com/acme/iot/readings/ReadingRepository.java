package com.acme.iot.readings;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * SQL access to the partitioned {@code reading} table. Everything that touches many rows is one statement:
 * batches are inserted from arrays, aggregates are bucketed by PostgreSQL in the caller's time zone.
 */
@Repository
class ReadingRepository {

	/** {@code measured_at} as exact microseconds since the epoch. */
	private static final String MICROS = "(extract(epoch from measured_at) * 1000000)::int8";

	/** Converts a bigint parameter of microseconds since the epoch to a timestamptz, exactly. */
	private static final String FROM_MICROS = "(timestamptz 'epoch' + ? * interval '1 microsecond')";

	private final JdbcTemplate jdbc;

	ReadingRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores the readings that are not stored yet, in one statement, and returns exactly those; the rest are
	 * duplicates. Callers sort the batch by (sensor, time) so that concurrent batches take row locks in the
	 * same order and cannot deadlock.
	 */
	List<StoredReading> insertNew(List<StoredReading> readings) {
		int size = readings.size();
		UUID[] sensors = new UUID[size];
		long[] times = new long[size];
		double[] values = new double[size];
		for (int i = 0; i < size; i++) {
			StoredReading reading = readings.get(i);
			sensors[i] = reading.sensorId();
			times[i] = reading.micros();
			values[i] = reading.value();
		}
		List<StoredReading> inserted = new ArrayList<>(size);
		this.jdbc.execute((Connection connection) -> {
			try (PreparedStatement insert = connection.prepareStatement("""
					insert into reading (sensor_id, measured_at, value)
					select s, timestamptz 'epoch' + t * interval '1 microsecond', v
					from unnest(?::uuid[], ?::int8[], ?::float8[]) as batch(s, t, v)
					on conflict do nothing
					returning sensor_id, %s, value""".formatted(MICROS))) {
				// The driver's own factory takes primitive arrays without boxing a million values.
				PGConnection postgres = connection.unwrap(PGConnection.class);
				Array sensorArray = postgres.createArrayOf("uuid", sensors);
				Array timeArray = postgres.createArrayOf("int8", times);
				Array valueArray = postgres.createArrayOf("float8", values);
				insert.setArray(1, sensorArray);
				insert.setArray(2, timeArray);
				insert.setArray(3, valueArray);
				try (ResultSet rows = insert.executeQuery()) {
					while (rows.next()) {
						inserted.add(new StoredReading(rows.getObject(1, UUID.class), rows.getLong(2), rows.getDouble(3)));
					}
				}
				sensorArray.free();
				timeArray.free();
				valueArray.free();
			}
			return null;
		});
		return inserted;
	}

	/** One page of a sensor's history in [from, to), after the keyset position {@code afterMicros}. */
	List<StoredReading> history(UUID sensor, Instant from, Instant to, @Nullable Long afterMicros, boolean ascending,
			int limit) {
		String keyset = afterMicros == null ? "" : " and measured_at " + (ascending ? ">" : "<") + " " + FROM_MICROS;
		String sql = "select " + MICROS + ", value from reading where sensor_id = ? and measured_at >= ? and measured_at < ?"
				+ keyset + " order by measured_at " + (ascending ? "asc" : "desc") + " limit ?";
		List<Object> args = new ArrayList<>(List.of(sensor, utc(from), utc(to)));
		if (afterMicros != null) {
			args.add(afterMicros);
		}
		args.add(limit);
		return this.jdbc.query(sql, (row, n) -> new StoredReading(sensor, row.getLong(1), row.getDouble(2)),
				args.toArray());
	}

	/** The reading with the latest measurement time. */
	Optional<StoredReading> latest(UUID sensor) {
		return this.jdbc
			.query("select " + MICROS + ", value from reading where sensor_id = ? order by measured_at desc limit 1",
					(row, n) -> new StoredReading(sensor, row.getLong(1), row.getDouble(2)), sensor)
			.stream()
			.findFirst();
	}

	/** The latest reading of each of the given sensors that has any; one index probe per sensor. */
	List<StoredReading> latestOf(List<UUID> sensors) {
		if (sensors.isEmpty()) {
			return List.of();
		}
		return this.jdbc.execute((Connection connection) -> {
			List<StoredReading> latest = new ArrayList<>();
			try (PreparedStatement query = connection.prepareStatement("""
					select s.id, %s, r.value
					from unnest(?::uuid[]) as s(id)
					cross join lateral (select measured_at, value from reading
					                    where sensor_id = s.id order by measured_at desc limit 1) r
					order by s.id""".formatted(MICROS.replace("measured_at", "r.measured_at")))) {
				query.setArray(1, connection.createArrayOf("uuid", sensors.toArray()));
				try (ResultSet rows = query.executeQuery()) {
					while (rows.next()) {
						latest.add(new StoredReading(rows.getObject(1, UUID.class), rows.getLong(2), rows.getDouble(3)));
					}
				}
			}
			return latest;
		});
	}

	/** One aggregated bucket; {@code start} is the bucket's first instant. */
	record Bucket(Instant start, double avg, double min, double max, double sum, long count) {
	}

	/**
	 * Aggregates a sensor's readings in [from, to) into buckets; {@code bucketExpression} is SQL over
	 * {@code measured_at} computing the bucket start (a {@code timestamptz}) with its own parameters.
	 */
	List<Bucket> aggregate(UUID sensor, Instant from, Instant to, String bucketExpression, Object... bucketArgs) {
		String sql = "select " + bucketExpression + " as bucket, avg(value), min(value), max(value), sum(value), count(*)"
				+ " from reading where sensor_id = ? and measured_at >= ? and measured_at < ? group by 1 order by 1";
		List<Object> args = new ArrayList<>(List.of(bucketArgs));
		args.addAll(List.of(sensor, utc(from), utc(to)));
		return this.jdbc.query(sql,
				(row, n) -> new Bucket(row.getObject(1, OffsetDateTime.class).toInstant(), row.getDouble(2),
						row.getDouble(3), row.getDouble(4), row.getDouble(5), row.getLong(6)),
				args.toArray());
	}

	/** Deletes a sensor's readings measured before {@code before}; returns how many. */
	int deleteBefore(UUID sensor, Instant before) {
		return this.jdbc.update("delete from reading where sensor_id = ? and measured_at < ?", sensor, utc(before));
	}

	/** Deletes readings measured before {@code before} of the given sensors, or of all but them. */
	int deleteExpired(Instant before, List<UUID> sensors, boolean only) {
		if (only && sensors.isEmpty()) {
			return 0;
		}
		return this.jdbc.execute((Connection connection) -> {
			String sql = "delete from reading where measured_at < ?"
					+ (sensors.isEmpty() ? "" : only ? " and sensor_id = any(?)" : " and not (sensor_id = any(?))");
			try (PreparedStatement delete = connection.prepareStatement(sql)) {
				delete.setObject(1, utc(before));
				if (!sensors.isEmpty()) {
					delete.setArray(2, connection.createArrayOf("uuid", sensors.toArray()));
				}
				return delete.executeUpdate();
			}
		});
	}

	/** A reading together with the transaction that stored it: the position of the live stream. */
	record Committed(long tx, StoredReading reading) {
	}

	/**
	 * The transaction horizon: every transaction with a smaller id has finished, so no reading with a
	 * smaller {@code tx} can still appear.
	 */
	long horizon() {
		Long horizon = this.jdbc.queryForObject("select pg_snapshot_xmin(pg_current_snapshot())::text::int8",
				Long.class);
		return horizon == null ? 0 : horizon;
	}

	/**
	 * Readings of a sensor committed after the stream position (tx, micros), in stream order, and only those
	 * of finished transactions so that a later commit can never slip in behind the position.
	 */
	List<Committed> committedAfter(UUID sensor, long tx, long micros, int limit) {
		return this.jdbc.query("select tx, " + MICROS + ", value from reading where sensor_id = ? and tx >= ?"
				+ " and (tx, measured_at) > (?, " + FROM_MICROS + ")"
				+ " and tx < pg_snapshot_xmin(pg_current_snapshot())::text::int8 order by tx, measured_at limit ?",
				(row, n) -> new Committed(row.getLong(1), new StoredReading(sensor, row.getLong(2), row.getDouble(3))),
				sensor, tx, tx, micros, limit);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
