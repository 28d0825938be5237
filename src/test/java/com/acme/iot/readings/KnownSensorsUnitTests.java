package com.acme.iot.readings;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.acme.iot.sensors.Sensor;
import com.acme.iot.sensors.SensorId;
import com.acme.iot.sensors.SensorKind;
import com.acme.iot.sensors.SensorManagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The cache alone, with the sensors module mocked: what matters here is when it asks again, which a real
 * database would not show.
 */
class KnownSensorsUnitTests {

	final SensorId id = new SensorId(UUID.randomUUID());

	final SensorManagement sensors = mock(SensorManagement.class);

	@Test
	void asksTheSensorsModuleAgainOnceAnEntryIsOlderThanItsTimeToLive() throws Exception {
		Sensor active = sensor(true);
		Sensor decommissioned = sensor(false);
		when(this.sensors.find(this.id)).thenReturn(Optional.of(active), Optional.of(decommissioned));
		KnownSensors cache = new KnownSensors(this.sensors, settings(Duration.ofMillis(200)));

		assertThat(cache.find(this.id)).hasValueSatisfying(known -> assertThat(known.active()).isTrue());
		assertThat(cache.find(this.id)).hasValueSatisfying(known -> assertThat(known.active()).isTrue());
		verify(this.sensors, times(1)).find(this.id);

		Thread.sleep(300);

		assertThat(cache.find(this.id)).hasValueSatisfying(known -> assertThat(known.active()).isFalse());
		verify(this.sensors, times(2)).find(this.id);
	}

	@Test
	void forgetsASensorThatNoLongerExists() throws Exception {
		Sensor active = sensor(true);
		when(this.sensors.find(this.id)).thenReturn(Optional.of(active), Optional.empty());
		KnownSensors cache = new KnownSensors(this.sensors, settings(Duration.ofMillis(100)));
		assertThat(cache.find(this.id)).isPresent();

		Thread.sleep(200);

		assertThat(cache.find(this.id)).isEmpty();
	}

	private Sensor sensor(boolean active) {
		Sensor sensor = mock(Sensor.class);
		when(sensor.getId()).thenReturn(this.id);
		when(sensor.getKind()).thenReturn(SensorKind.CO2);
		when(sensor.isActive()).thenReturn(active);
		return sensor;
	}

	private static ReadingSettings settings(Duration ttl) {
		return new ReadingSettings(Duration.ofDays(400), Map.of(), 3, 10_000, Duration.ofMinutes(5), 1000, ttl,
				Duration.ofMillis(500), Duration.ofMinutes(30));
	}

}
