package com.acme.iot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Checks every response a Spring {@code RestClient} receives (a generated client's, or Boot's
 * {@code RestTestClient}) against the served OpenAPI document, like {@link ApiClient} does for its own.
 */
public final class ContractCheckingInterceptor implements ClientHttpRequestInterceptor {

	private final OpenApiContract contract;

	public ContractCheckingInterceptor(OpenApiContract contract) {
		this.contract = contract;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		ClientHttpResponse response = execution.execute(request, body);
		byte[] content = response.getBody().readAllBytes();
		String target = request.getURI().getRawPath()
				+ (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery());
		this.contract.check(request.getMethod().name(), target, response.getStatusCode().value(),
				response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE), new String(content, StandardCharsets.UTF_8));
		return new Buffered(response, content);
	}

	/** The response with its body read once for the check and served again from memory. */
	private record Buffered(ClientHttpResponse response, byte[] content) implements ClientHttpResponse {

		@Override
		public HttpStatusCode getStatusCode() throws IOException {
			return this.response.getStatusCode();
		}

		@Override
		public String getStatusText() throws IOException {
			return this.response.getStatusText();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.response.getHeaders();
		}

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(this.content);
		}

		@Override
		public void close() {
			this.response.close();
		}

	}

}
