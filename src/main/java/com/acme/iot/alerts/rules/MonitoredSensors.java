package com.acme.iot.alerts.rules;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.acme.iot.alerts.support.Sql;
import com.acme.iot.sensors.Sensor;
import com.acme.iot.sensors.SensorId;
import com.acme.iot.sensors.SensorKind;
import com.acme.iot.sensors.SensorManagement;

/**
 * Table {@code alert_sensor}: a projection of the sensors module's events plus the time of each sensor's last
 * readings. A sensor whose event has not been processed yet is loaded once through the sensors module's API.
 */
@Repository
class MonitoredSensors {

	private final JdbcClient jdbc;

	private final SensorManagement sensorManagement;

	MonitoredSensors(JdbcClient jdbc, SensorManagement sensorManagement) {
		this.jdbc = jdbc;
		this.sensorManagement = sensorManagement;
	}

	/** Records a newly registered sensor; a row already created from the sensors API wins. */
	void registered(UUID id, SensorKind kind, String site, Duration offlineAfter, Instant at) {
		this.jdbc.sql("""
				insert into alert_sensor (sensor_id, kind, site, offline_after, active, registered_at)
				values (:id, :kind, :site, :offlineAfter, true, :at) on conflict (sensor_id) do nothing""")
			.param("id", id)
			.param("kind", kind.name())
			.param("site", site)
			.param("offlineAfter", offlineAfter.toMillis())
			.param("at", Sql.ts(at))
			.update();
	}

	void updated(UUID id, SensorKind kind, String site, Duration offlineAfter) {
		if (lock(id).isPresent()) {
			this.jdbc.sql("update alert_sensor set kind = :kind, site = :site, offline_after = :offlineAfter where sensor_id = :id")
				.param("id", id)
				.param("kind", kind.name())
				.param("site", site)
				.param("offlineAfter", offlineAfter.toMillis())
				.update();
		}
	}

	void decommissioned(UUID id) {
		if (lock(id).isPresent()) {
			this.jdbc.sql("update alert_sensor set active = false where sensor_id = :id").param("id", id).update();
		}
	}

	void readingsReceived(UUID id, Instant at) {
		this.jdbc.sql("""
				update alert_sensor set last_reading_at = greatest(coalesce(last_reading_at, :at), :at)
				where sensor_id = :id""").param("id", id).param("at", Sql.ts(at)).update();
	}

	/**
	 * The sensor, its row locked until the transaction ends so that events of one sensor are evaluated one at
	 * a time; empty for a sensor the sensors module does not know.
	 */
	Optional<MonitoredSensor> lock(UUID id) {
		Optional<MonitoredSensor> sensor = this.jdbc.sql("select * from alert_sensor where sensor_id = :id for update")
			.param("id", id)
			.query(MonitoredSensors::map)
			.optional();
		if (sensor.isPresent()) {
			return sensor;
		}
		Optional<Sensor> known = this.sensorManagement.find(new SensorId(id));
		if (known.isEmpty()) {
			return Optional.empty();
		}
		Sensor source = known.get();
		this.jdbc.sql("""
				insert into alert_sensor (sensor_id, kind, site, offline_after, active, registered_at)
				values (:id, :kind, :site, :offlineAfter, :active, :at) on conflict (sensor_id) do nothing""")
			.param("id", id)
			.param("kind", source.getKind().name())
			.param("site", source.getSite())
			.param("offlineAfter", source.getOfflineAfter().toMillis())
			.param("active", source.isActive())
			.param("at", Sql.ts(source.getCreatedAt()))
			.update();
		return this.jdbc.sql("select * from alert_sensor where sensor_id = :id for update")
			.param("id", id)
			.query(MonitoredSensors::map)
			.optional();
	}

	Optional<MonitoredSensor> find(UUID id) {
		return this.jdbc.sql("select * from alert_sensor where sensor_id = :id")
			.param("id", id)
			.query(MonitoredSensors::map)
			.optional();
	}

	/** Active sensors silent for longer than their {@code offlineAfter} that have no offline alert yet. */
	List<UUID> silentWithoutOfflineAlert(Instant now) {
		return this.jdbc.sql("""
				select s.sensor_id from alert_sensor s
				where s.active
				  and coalesce(s.last_reading_at, s.registered_at) + s.offline_after * interval '1 millisecond' < :now
				  and not exists (select 1 from alert a where a.sensor_id = s.sensor_id
				                  and a.type = 'SENSOR_OFFLINE' and a.state <> 'RESOLVED')""")
			.param("now", Sql.ts(now))
			.query(UUID.class)
			.list();
	}

	static MonitoredSensor map(ResultSet rs, int row) throws SQLException {
		return new MonitoredSensor(rs.getObject("sensor_id", UUID.class), SensorKind.valueOf(rs.getString("kind")),
				rs.getString("site"), Sql.millis(rs, "offline_after"), rs.getBoolean("active"),
				Sql.requiredInstant(rs, "registered_at"), Sql.instant(rs, "last_reading_at"));
	}

}
