package com.acme.iot.platform.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class EarlyRoleCheckConfiguration implements WebMvcConfigurer {

	private final RoleHierarchy roleHierarchy;

	EarlyRoleCheckConfiguration(RoleHierarchy roleHierarchy) {
		this.roleHierarchy = roleHierarchy;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new EarlyRoleCheckInterceptor(this.roleHierarchy)).addPathPatterns("/api/**");
	}

}
