package com.acme.iot.platform.events;

import java.util.concurrent.Executor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The asynchronous module listeners ({@code @ApplicationModuleListener}) run on a pool of their own: a fixed
 * number of threads, because each call holds a database connection (on virtual threads, Boot's executor would
 * start one thread per event and let thousands compete for the pool's 20 connections), and an unbounded queue,
 * because a refused call would leave its event unprocessed until the next restart. What bounds the queue is
 * {@link ListenerBacklog}: a gateway batch publishes one {@code ReadingsRecorded} per sensor, and before this pool
 * the default executor queued them without limit until the heap was full.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ListenerSettings.class)
class ListenerExecutionConfiguration {

	@Bean
	ThreadPoolTaskExecutor moduleListenerExecutor(ThreadPoolTaskExecutorBuilder builder, ListenerSettings settings) {
		return builder.corePoolSize(settings.threads())
			.maxPoolSize(settings.threads())
			.queueCapacity(Integer.MAX_VALUE)
			.allowCoreThreadTimeOut(false)
			.threadNamePrefix("module-events-")
			.build();
	}

	@Bean
	AsyncConfigurer moduleListenerAsyncConfigurer(ThreadPoolTaskExecutor moduleListenerExecutor) {
		return new AsyncConfigurer() {

			@Override
			public Executor getAsyncExecutor() {
				return moduleListenerExecutor;
			}

		};
	}

	@Bean
	ListenerBacklog listenerBacklog(ThreadPoolTaskExecutor moduleListenerExecutor, ListenerSettings settings,
			MeterRegistry registry) {
		ListenerBacklog backlog = new ListenerBacklog(moduleListenerExecutor::getQueueSize, settings);
		Gauge.builder("iot.events.listeners.waiting", backlog, ListenerBacklog::waiting)
			.description("Module-listener calls (e.g. alert evaluation of new readings) waiting for a thread")
			.register(registry);
		return backlog;
	}

}
