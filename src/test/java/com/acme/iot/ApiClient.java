package com.acme.iot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for end-to-end tests: talks to the service on its real port, like the mobile app, and
 * checks every response against the OpenAPI document the service serves ({@link OpenApiContract}).
 */
public final class ApiClient {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	/** The served contract of each service the tests talk to, read once. */
	private static final java.util.Map<String, OpenApiContract> CONTRACTS = new java.util.concurrent.ConcurrentHashMap<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final @Nullable String token;

	private final java.util.Map<String, String> headers;

	public ApiClient(int port, @Nullable String token) {
		this("http://127.0.0.1:" + port, token, java.util.Map.of());
	}

	private ApiClient(String base, @Nullable String token, java.util.Map<String, String> headers) {
		this.base = base;
		this.token = token;
		this.headers = headers;
	}

	public ApiClient as(@Nullable String token) {
		return new ApiClient(this.base, token, this.headers);
	}

	/** The same client sending one more header on every request. */
	public ApiClient withHeader(String name, String value) {
		java.util.Map<String, String> more = new java.util.LinkedHashMap<>(this.headers);
		more.put(name, value);
		return new ApiClient(this.base, this.token, more);
	}

	public String baseUrl() {
		return this.base;
	}

	public HttpClient http() {
		return this.http;
	}

	/** Issues an API token with this (admin) client and returns its secret. */
	public String issueToken(String role) {
		Response issued = post("/api/tokens",
				"{\"name\":\"test-" + role.toLowerCase(java.util.Locale.ROOT) + "-" + java.util.UUID.randomUUID()
						+ "\",\"role\":\"" + role + "\"}");
		if (issued.status() != 201) {
			throw new IllegalStateException("Cannot issue a " + role + " token: " + issued);
		}
		return issued.json().get("token").stringValue();
	}

	public Response get(String path) {
		return send("GET", path, null, null);
	}

	public Response delete(String path) {
		return send("DELETE", path, null, null);
	}

	public Response post(String path, @Nullable String json) {
		return send("POST", path, json, "application/json");
	}

	public Response patch(String path, String json) {
		return send("PATCH", path, json, "application/merge-patch+json");
	}

	public Response send(String method, String path, @Nullable String body, @Nullable String contentType) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		this.headers.forEach(request::header);
		if (this.token != null) {
			request.header("Authorization", "Bearer " + this.token);
		}
		try {
			Response response = new Response(this.http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
			contract().check(method, path, response.status(), response.header("Content-Type").orElse(null),
					response.body());
			return response;
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The OpenAPI document this service serves, as the contract every response is checked against. */
	public OpenApiContract contract() {
		return CONTRACTS.computeIfAbsent(this.base, base -> {
			try {
				HttpResponse<String> docs = this.http.send(HttpRequest.newBuilder(URI.create(base + "/v3/api-docs"))
					.timeout(Duration.ofSeconds(60))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (docs.statusCode() != 200) {
					throw new IllegalStateException("No OpenAPI document at " + base + ": " + docs.statusCode());
				}
				return OpenApiContract.of(JSON.readTree(docs.body()));
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot read the OpenAPI document of " + base, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		});
	}

	/** A response with its body parsed on demand. */
	public record Response(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public String body() {
			return this.raw.body();
		}

		public JsonNode json() {
			return JSON.readTree(this.raw.body());
		}

		public Optional<String> header(String name) {
			return this.raw.headers().firstValue(name);
		}

		public String contentType() {
			return header("Content-Type").orElse("");
		}

		@Override
		public String toString() {
			return this.raw.request().method() + " " + this.raw.uri() + " -> " + status() + " " + body();
		}

	}

}
