package com.acme.iot.platform.web;

import jakarta.servlet.RequestDispatcher;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors escaping the filter chain, as the container forwards them to /error. */
class ProblemErrorControllerUnitTests {

	private final ProblemErrorController controller = new ProblemErrorController();

	@Test
	void answersServiceUnavailableWhenAuthenticationCannotReachTheDatabase() {
		// what the API-token lookup of BearerTokenAuthenticationFilter throws while PostgreSQL is down
		ResponseEntity<ProblemDetail> response = this.controller.error(forwarded(
				new DataAccessResourceFailureException("Unable to acquire JDBC Connection")));

		assertThat(response.getStatusCode().value()).isEqualTo(503);
		assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("5");
		assertThat(response.getBody().getType()).isEqualTo(ProblemTypes.UNAVAILABLE);
	}

	@Test
	void keepsOtherFailuresAnInternalError() {
		ResponseEntity<ProblemDetail> response = this.controller.error(forwarded(new IllegalStateException("boom")));

		assertThat(response.getStatusCode().value()).isEqualTo(500);
		assertThat(response.getBody().getDetail()).doesNotContain("boom");
	}

	private static MockHttpServletRequest forwarded(Throwable error) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 500);
		request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, error);
		return request;
	}

}
