package com.acme.iot.platform;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Beans every module shares.
 */
@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

	/** The one clock of the service, UTC, replaceable in tests. */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

}
