package com.acme.iot.releaseinfo;

import java.io.IOException;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records who used the operations surface: one audit line and one {@code iot_ops_requests_total} increment
 * per call to an actuator endpoint (except the health, info and Prometheus ones that probes and scrapers hit
 * all day) and per write to {@code /api/tokens}. It sits outside Spring Security so rejected attempts are
 * recorded too; the caller is the authentication Security left on the request. Only the caller's name,
 * method, path and status are written, never a header or a body.
 */
class OpsAuditFilter extends OncePerRequestFilter {

	static final String AUDIT_LOGGER = "com.acme.iot.audit";

	private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);

	private static final Set<String> UNAUDITED_ENDPOINTS = Set.of("health", "info", "prometheus");

	private static final String TOKENS = "/api/tokens";

	private final String actuatorBasePath;

	private final ObjectProvider<PathMappedEndpoints> endpoints;

	private final MeterRegistry registry;

	private final RequestAttributeSecurityContextRepository securityContexts = new RequestAttributeSecurityContextRepository();

	/**
	 * The endpoints are looked up per call, not injected: the filter is created while the web server starts,
	 * and creating every actuator endpoint that early breaks endpoints that load resources through the
	 * context class loader (Spring Modulith's).
	 */
	OpsAuditFilter(String actuatorBasePath, ObjectProvider<PathMappedEndpoints> endpoints, MeterRegistry registry) {
		this.actuatorBasePath = actuatorBasePath;
		this.endpoints = endpoints;
		this.registry = registry;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String endpoint = auditedEndpoint(request.getMethod(), path);
		if (endpoint == null) {
			chain.doFilter(request, response);
			return;
		}
		int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
		try {
			chain.doFilter(request, response);
			status = response.getStatus();
		}
		finally {
			record(request, path, endpoint, status);
		}
	}

	private void record(HttpServletRequest request, String path, String endpoint, int status) {
		String caller = caller(request);
		String operation = operation(request.getMethod());
		Counter.builder("iot.ops.requests")
			.description("Calls to the operations endpoints, by endpoint, operation and caller")
			.tag("endpoint", endpoint)
			.tag("operation", operation)
			.tag("caller", caller)
			.register(this.registry)
			.increment();
		audit.atInfo()
			.setMessage("Ops call {} {} by {} answered {}")
			.addArgument(request.getMethod())
			.addArgument(path)
			.addArgument(caller)
			.addArgument(status)
			.addKeyValue("audit.caller", caller)
			.addKeyValue("audit.method", request.getMethod())
			.addKeyValue("audit.path", path)
			.addKeyValue("audit.endpoint", endpoint)
			.addKeyValue("audit.operation", operation)
			.addKeyValue("audit.status", status)
			.log();
	}

	/** The endpoint label of an audited call, or {@code null} when the call is not audited. */
	private @Nullable String auditedEndpoint(String method, String path) {
		if (path.equals(TOKENS) || path.startsWith(TOKENS + "/")) {
			return isRead(method) ? null : "tokens";
		}
		if (!path.equals(this.actuatorBasePath) && !path.startsWith(this.actuatorBasePath + "/")) {
			return null;
		}
		String rest = path.substring(this.actuatorBasePath.length());
		String id = rest.isEmpty() || rest.equals("/") ? "links" : rest.substring(1).split("/", 2)[0];
		if (UNAUDITED_ENDPOINTS.contains(id)) {
			return null;
		}
		// Unknown ids stay one label value, so random paths cannot blow up the metric's cardinality
		PathMappedEndpoints mapped = this.endpoints.getIfAvailable();
		boolean known = id.equals("links")
				|| (mapped != null && mapped.stream().anyMatch(endpoint -> endpoint.getRootPath().equals(id)));
		return known ? id : "other";
	}

	private String caller(HttpServletRequest request) {
		SecurityContext context = this.securityContexts.loadDeferredContext(request).get();
		Authentication authentication = (context != null) ? context.getAuthentication() : null;
		return (authentication != null && authentication.isAuthenticated()) ? authentication.getName() : "anonymous";
	}

	private static boolean isRead(String method) {
		return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
	}

	private static String operation(String method) {
		if (isRead(method)) {
			return "read";
		}
		return method.equals("DELETE") ? "delete" : "write";
	}

}
