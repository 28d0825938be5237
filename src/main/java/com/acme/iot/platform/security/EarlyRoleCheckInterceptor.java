package com.acme.iot.platform.security;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.method.PreAuthorizeAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.util.SimpleMethodInvocation;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Evaluates a controller's {@code @PreAuthorize} before Spring MVC reads and validates the request body, so a
 * caller without the role gets 403 and learns nothing about the payload rules. Method security still guards
 * the call itself.
 */
class EarlyRoleCheckInterceptor implements HandlerInterceptor {

	private final PreAuthorizeAuthorizationManager authorization = new PreAuthorizeAuthorizationManager();

	EarlyRoleCheckInterceptor(RoleHierarchy roleHierarchy) {
		DefaultMethodSecurityExpressionHandler expressions = new DefaultMethodSecurityExpressionHandler();
		expressions.setRoleHierarchy(roleHierarchy);
		this.authorization.setExpressionHandler(expressions);
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method) {
			Supplier<Authentication> caller = () -> SecurityContextHolder.getContext().getAuthentication();
			MethodInvocation invocation = new SimpleMethodInvocation(method.getBean(), method.getMethod());
			AuthorizationResult result = this.authorization.authorize(caller, invocation);
			if (result != null && !result.isGranted()) {
				throw new AccessDeniedException("Access denied");
			}
		}
		return true;
	}

}
