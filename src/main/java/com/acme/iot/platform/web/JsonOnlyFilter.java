package com.acme.iot.platform.web;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * This API only takes JSON. Form and multipart bodies are refused with 415 before the servlet container is
 * asked to parse them as request parameters (which fails noisily on hostile input).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class JsonOnlyFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType();
		if (contentType != null) {
			String type = contentType.toLowerCase(Locale.ROOT);
			if (type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE) || type.startsWith("multipart/")) {
				ProblemWriter.write(request, response, Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
						ProblemTypes.MALFORMED_REQUEST, "Unsupported Media Type",
						"Content-Type '" + contentType.split(";")[0] + "' is not supported; send application/json."));
				return;
			}
		}
		chain.doFilter(request, response);
	}

}
