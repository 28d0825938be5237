package com.acme.iot;

import java.util.List;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives every Spring test context a {@link TestClock} as its primary {@code Clock} (registered in
 * {@code META-INF/spring.factories}), so the service's own clock bean steps aside and no test depends on today's date.
 */
class TestClockContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new TestClockCustomizer();
	}

	/** Equal to every other instance, so it never splits the context cache. */
	private record TestClockCustomizer() implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			RootBeanDefinition clock = new RootBeanDefinition(TestClock.class, TestClock::new);
			clock.setPrimary(true);
			((BeanDefinitionRegistry) context.getBeanFactory()).registerBeanDefinition("testClock", clock);
		}

	}

}
