package com.acme.iot.sensors;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

@ApplicationModuleTest
class SensorsModuleIntegrationTests {

	@Autowired
	SensorManagement sensors;

	@Test
	void publishesSensorRegisteredWithKindSiteAndOfflineThreshold(Scenario scenario) {
		scenario.stimulate(() -> this.sensors.register(draft("Attic", "site-events"), SensorKind.HUMIDITY))
			.andWaitForEventOfType(SensorRegistered.class)
			.matching(event -> event.site().equals("site-events"))
			.toArriveAndVerify(event -> {
				assertThat(event.kind()).isEqualTo(SensorKind.HUMIDITY);
				assertThat(event.offlineAfter()).isEqualTo(Duration.ofMinutes(5));
			});
	}

	@Test
	void publishesSensorDecommissionedOnceAndKeepsTheSensor(Scenario scenario) {
		Sensor sensor = this.sensors.register(draft("Roof", "site-decommission"), SensorKind.LIGHT).sensor();

		scenario.stimulate(() -> this.sensors.decommission(sensor.getId()))
			.andWaitForEventOfType(SensorDecommissioned.class)
			.matching(event -> event.sensorId().equals(sensor.getId()))
			.toArrive();

		assertThat(this.sensors.get(sensor.getId()).getStatus()).isEqualTo(SensorStatus.DECOMMISSIONED);
	}

	@Test
	void publishesSensorUpdatedWithTheNewSite(Scenario scenario) {
		Sensor sensor = this.sensors.register(draft("Porch", "site-before"), SensorKind.NOISE).sensor();

		scenario
			.stimulate(() -> this.sensors.update(sensor.getId(),
					current -> new SensorDraft(current.name(), "site-after", current.location(),
							current.offlineAfter(), current.labels())))
			.andWaitForEventOfType(SensorUpdated.class)
			.matching(event -> event.sensorId().equals(sensor.getId()))
			.toArriveAndVerify(event -> assertThat(event.site()).isEqualTo("site-after"));
	}

	@Test
	void resolvesDeviceTokensOnlyToTheirOwnSensor() {
		SensorManagement.SensorWithToken first = this.sensors.register(draft("A", "site-tokens"), SensorKind.CO2);
		SensorManagement.SensorWithToken second = this.sensors.register(draft("B", "site-tokens"), SensorKind.CO2);
		SensorDeviceTokens tokens = new SensorDeviceTokens(this.sensorsRepository);

		assertThat(tokens.resolve(com.acme.iot.platform.security.SecretTokens.hash(first.deviceToken())))
			.hasValueSatisfying(device -> assertThat(device.deviceId()).isEqualTo(first.sensor().getId().toString()));
		assertThat(tokens.resolve(com.acme.iot.platform.security.SecretTokens.hash(second.deviceToken())))
			.hasValueSatisfying(device -> assertThat(device.deviceId()).isEqualTo(second.sensor().getId().toString()));
		assertThat(tokens.resolve(com.acme.iot.platform.security.SecretTokens.hash("dev_unknown"))).isEmpty();
	}

	@Autowired
	SensorRepository sensorsRepository;

	private static SensorDraft draft(String name, String site) {
		return new SensorDraft(name, site, null, Duration.ofMinutes(5), Labels.NONE);
	}

}
