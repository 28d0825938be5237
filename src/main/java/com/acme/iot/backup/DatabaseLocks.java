package com.acme.iot.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * Cluster-wide mutual exclusion with PostgreSQL session advisory locks: a backup or restore holds one on a
 * pooled connection for as long as it runs, so no other replica starts the same kind of work, and a replica
 * that dies releases it with its connection.
 */
@Component
class DatabaseLocks {

	/** Arbitrary first key half shared by the module's locks ("iotb"). */
	private static final int NAMESPACE = 0x696f7462;

	enum Kind {

		BACKUP(1), RESTORE(2);

		private final int key;

		Kind(int key) {
			this.key = key;
		}

	}

	private final DataSource dataSource;

	DatabaseLocks(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** The lock if free now, else empty: callers answer 409 rather than queueing. */
	Optional<Held> tryLock(Kind kind) {
		Connection connection = null;
		try {
			connection = this.dataSource.getConnection();
			connection.setAutoCommit(true);
			try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
				lock.setInt(1, NAMESPACE);
				lock.setInt(2, kind.key);
				try (ResultSet result = lock.executeQuery()) {
					result.next();
					if (result.getBoolean(1)) {
						Held held = new Held(connection, kind);
						connection = null;
						return Optional.of(held);
					}
					return Optional.empty();
				}
			}
		}
		catch (SQLException ex) {
			throw new BackupException("database", "Cannot take the " + kind + " lock: " + ex.getMessage(), ex);
		}
		finally {
			close(connection);
		}
	}

	/** Whether another session (any replica) holds the lock right now. */
	boolean isHeldAnywhere(Kind kind) {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement query = connection.prepareStatement(
						"select count(*) from pg_locks where locktype = 'advisory' and classid = ? and objid = ? and granted")) {
			query.setInt(1, NAMESPACE);
			query.setInt(2, kind.key);
			try (ResultSet result = query.executeQuery()) {
				result.next();
				return result.getLong(1) > 0;
			}
		}
		catch (SQLException ex) {
			throw new BackupException("database", "Cannot read the locks: " + ex.getMessage(), ex);
		}
	}

	private static void close(Connection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// nothing more to release
			}
		}
	}

	/** A held lock; closing releases it and returns the connection to the pool. */
	static final class Held implements AutoCloseable {

		private final Connection connection;

		private final Kind kind;

		private Held(Connection connection, Kind kind) {
			this.connection = connection;
			this.kind = kind;
		}

		@Override
		public void close() {
			try (PreparedStatement unlock = this.connection.prepareStatement("select pg_advisory_unlock(?, ?)")) {
				unlock.setInt(1, NAMESPACE);
				unlock.setInt(2, this.kind.key);
				unlock.execute();
			}
			catch (SQLException ex) {
				// a broken connection released the lock already; closing it below discards it
			}
			finally {
				DatabaseLocks.close(this.connection);
			}
		}

	}

}
