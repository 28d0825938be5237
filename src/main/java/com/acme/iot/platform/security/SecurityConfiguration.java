package com.acme.iot.platform.security;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Stateless bearer security for three kinds of caller: API tokens, device tokens and, when an issuer or JWK
 * set is configured, OAuth2 JWTs. URL rules keep the public surface explicit; each controller declares the
 * role its operations need with {@code @PreAuthorize}.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

	@Bean
	static RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.withDefaultRolePrefix()
			.role(Role.ADMIN.name())
			.implies(Role.OPERATOR.name())
			.role(Role.OPERATOR.name())
			.implies(Role.READER.name())
			.build();
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokenManagement apiTokens,
			ObjectProvider<DeviceTokenResolver> devices, ObjectProvider<JwtDecoder> jwtDecoder,
			SecuritySettings settings, AuthenticationThrottle throttle, StreamSettings streams) throws Exception {
		ProblemSecurityHandlers problems = new ProblemSecurityHandlers(throttle);
		AuthenticationManager authenticationManager = authenticationManager(apiTokens, devices, jwtDecoder, settings);
		AuthenticationManagerResolver<HttpServletRequest> resolver = request -> authenticationManager;
		http.csrf(csrf -> csrf.disable())
			.cors(Customizer.withDefaults())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable())
			.anonymous(Customizer.withDefaults())
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp
				.policyDirectives("default-src 'self'; frame-ancestors 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")))
			.authorizeHttpRequests(requests -> requests
				.requestMatchers(EndpointRequest.to("health", "info")).permitAll()
				.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Role.ADMIN.name())
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
						"/swagger-ui/**")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/api/release").permitAll()
				.requestMatchers("/error").permitAll()
				.requestMatchers("/api/**").authenticated()
				.anyRequest().denyAll())
			.oauth2ResourceServer(resourceServer -> resourceServer.authenticationManagerResolver(resolver)
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.addFilterBefore(new AuthenticationThrottleFilter(throttle, problems), BearerTokenAuthenticationFilter.class)
			.addFilterAfter(new StreamLimitFilter(streams, problems), AuthorizationFilter.class);
		return http.build();
	}

	private static AuthenticationManager authenticationManager(ApiTokenManagement apiTokens,
			ObjectProvider<DeviceTokenResolver> devices, ObjectProvider<JwtDecoder> jwtDecoder,
			SecuritySettings settings) {
		List<AuthenticationProvider> providers = new ArrayList<>();
		providers.add(new BearerSecretAuthenticationProvider(apiTokens, devices));
		JwtDecoder decoder = jwtDecoder.getIfAvailable();
		if (decoder != null) {
			JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
			jwt.setJwtAuthenticationConverter(new JwtRoleConverter(settings.jwt()));
			providers.add(jwt);
		}
		ProviderManager manager = new ProviderManager(providers);
		manager.setEraseCredentialsAfterAuthentication(true);
		return manager;
	}

	@Bean
	CorsConfigurationSource corsConfigurationSource(SecuritySettings settings) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(settings.cors().allowedOrigins());
		cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE", "OPTIONS"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Last-Event-ID", "Idempotency-Key"));
		cors.setExposedHeaders(List.of("Location", "Retry-After"));
		cors.setMaxAge(3600L);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", cors);
		return source;
	}

}
