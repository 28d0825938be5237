package com.acme.iot.releaseinfo;

import java.time.Instant;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import com.acme.iot.ApiClient;
import com.acme.iot.ApiClient.Response;
import com.acme.iot.platform.maintenance.MaintenanceMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows the database and the maintenance flag while liveness stays up, so Container Apps stops
 * routing to the replica instead of restarting it. The last test stops this context's own embedded
 * PostgreSQL, hence a dedicated context that is thrown away afterwards.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.hikari.connection-timeout=1000")
@Import(ProbesIntegrationTests.MaintenanceIndicatorUnlessProvided.class)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProbesIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MaintenanceMode maintenanceMode;

	@Autowired
	EmbeddedPostgres postgres;

	ApiClient anonymous;

	@BeforeEach
	void setUp() {
		this.anonymous = new ApiClient(this.port, null);
	}

	@AfterEach
	void leaveMaintenance() {
		this.maintenanceMode.update(null);
	}

	@Test
	@Order(1)
	void takesTheReplicaOutOfRotationDuringMaintenanceWithoutRestartingIt() {
		assertThat(this.anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);

		this.maintenanceMode.update(new MaintenanceMode.State("restore of backup 42", Instant.now()));

		Response readiness = this.anonymous.get("/actuator/health/readiness");
		assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
		assertThat(readiness.json().get("status").stringValue()).isNotEqualTo("UP");
		assertThat(this.anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);

		this.maintenanceMode.update(null);

		assertThat(this.anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
	}

	@Test
	@Order(2)
	void takesTheReplicaOutOfRotationWhenTheDatabaseIsLost() throws Exception {
		assertThat(this.anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);

		this.postgres.close();

		Response readiness = this.anonymous.get("/actuator/health/readiness");
		assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
		assertThat(readiness.json().get("status").stringValue()).isEqualTo("DOWN");
		Response liveness = this.anonymous.get("/actuator/health/liveness");
		assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
		Response release = this.anonymous.get("/api/release");
		assertThat(release.status()).as(release.toString()).isEqualTo(200);
		assertThat(release.json().get("schema").get("version").isNull()).isTrue();
	}

	/**
	 * The backup module owns the real {@code maintenance} indicator; this stand-in, used only when that
	 * module is absent from the build, reports the same flag so readiness can be tested here.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class MaintenanceIndicatorUnlessProvided {

		@Bean
		static BeanDefinitionRegistryPostProcessor maintenanceIndicatorUnlessProvided() {
			return (BeanDefinitionRegistry registry) -> {
				for (String name : new String[] { "maintenance", "maintenanceHealthIndicator",
						"maintenanceHealthContributor" }) {
					if (registry.containsBeanDefinition(name)) {
						return;
					}
				}
				registry.registerBeanDefinition("maintenanceHealthIndicator",
						new RootBeanDefinition(StandInMaintenanceIndicator.class));
			};
		}

	}

	static class StandInMaintenanceIndicator implements HealthIndicator {

		private final MaintenanceMode maintenanceMode;

		StandInMaintenanceIndicator(MaintenanceMode maintenanceMode) {
			this.maintenanceMode = maintenanceMode;
		}

		@Override
		public Health health() {
			return this.maintenanceMode.isActive() ? Health.outOfService().build() : Health.up().build();
		}

	}

}
