package com.acme.iot.releaseinfo;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Loads the migration classification once at startup (refusing to start on an unclassified migration, in
 * case a build skipped its tests), marks the running release on dashboards and audits the operations surface.
 */
@Configuration(proxyBeanMethods = false)
class ReleaseConfiguration {

	@Bean
	SchemaCompatibility schemaCompatibility(ResourcePatternResolver resources, ReleaseSettings settings) {
		return new SchemaCompatibility(MigrationHeaders.load(resources),
				ReleaseVersion.parse(settings.earliestRelease()));
	}

	/** {@code iot_release_info{version,revision,commit} 1}: a deploy shows as a new series. */
	@Bean
	MeterBinder releaseInfoGauge(ReleaseInformation releases) {
		Release release = releases.current();
		return registry -> Gauge.builder("iot.release.info", () -> 1)
			.description("The running release; always 1, the labels carry the information")
			.tag("version", release.version())
			.tag("revision", (release.revision() != null) ? release.revision() : "none")
			.tag("commit", release.commit())
			.register(registry);
	}

	/** Just outside Spring Security's chain, so calls it rejects are audited too. */
	@Bean
	FilterRegistrationBean<OpsAuditFilter> opsAuditFilter(WebEndpointProperties actuator,
			ObjectProvider<PathMappedEndpoints> endpoints, MeterRegistry registry) {
		FilterRegistrationBean<OpsAuditFilter> registration = new FilterRegistrationBean<>(
				new OpsAuditFilter(actuator.getBasePath(), endpoints, registry));
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

}
