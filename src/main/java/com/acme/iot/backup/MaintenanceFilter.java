package com.acme.iot.backup;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.acme.iot.platform.maintenance.MaintenanceMode;
import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.ProblemWriter;

/**
 * Refuses writes to the API while the service is in maintenance (a restore replaces the database), so no
 * write is accepted that the restore would silently discard. Reads keep working.
 */
@Component
class MaintenanceFilter extends OncePerRequestFilter {

	private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

	private final MaintenanceMode mode;

	private final BackupSettings settings;

	MaintenanceFilter(MaintenanceMode mode, BackupSettings settings) {
		this.mode = mode;
		this.settings = settings;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return READS.contains(request.getMethod()) || !(path.equals("/api") || path.startsWith("/api/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		var state = this.mode.current();
		if (state.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		ProblemWriter.write(request, response, ApiProblem.unavailable("In maintenance",
				"The service is in maintenance (" + state.get().reason() + ") since " + state.get().since()
						+ "; writes are refused until it ends, reads keep working.",
				this.settings.maintenanceRetryAfter()));
	}

}
