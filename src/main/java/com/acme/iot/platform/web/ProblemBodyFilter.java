package com.acme.iot.platform.web;

import java.io.IOException;
import java.io.PrintWriter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives a problem+json body to error responses that were completed without one (actuator answers 404 for an
 * unknown metric or health path with an empty body), so clients always get the same error shape.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ProblemBodyFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		BodyTracking tracking = new BodyTracking(response);
		chain.doFilter(request, tracking);
		int status = tracking.getStatus();
		if (status >= 400 && !tracking.bodyStarted && !response.isCommitted() && !request.isAsyncStarted()) {
			ProblemWriter.write(request, response, Problems.forStatus(HttpStatusCode.valueOf(status)));
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return true;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return true;
	}

	private static final class BodyTracking extends HttpServletResponseWrapper {

		private boolean bodyStarted;

		BodyTracking(HttpServletResponse response) {
			super(response);
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			this.bodyStarted = true;
			return super.getOutputStream();
		}

		@Override
		public PrintWriter getWriter() throws IOException {
			this.bodyStarted = true;
			return super.getWriter();
		}

		@Override
		public void sendError(int sc) throws IOException {
			this.bodyStarted = true;
			super.sendError(sc);
		}

		@Override
		public void sendError(int sc, String msg) throws IOException {
			this.bodyStarted = true;
			super.sendError(sc, msg);
		}

	}

}
