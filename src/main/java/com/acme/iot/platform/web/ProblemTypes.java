package com.acme.iot.platform.web;

import java.net.URI;

/**
 * The {@code type} URIs of the problems this API answers with (RFC 9457); each names one kind of mistake.
 */
public final class ProblemTypes {

	private static final String BASE = "https://iot-api.example.com/problems/";

	public static final URI VALIDATION = URI.create(BASE + "validation");

	public static final URI MALFORMED_REQUEST = URI.create(BASE + "malformed-request");

	public static final URI NOT_FOUND = URI.create(BASE + "not-found");

	public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");

	public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");

	public static final URI CONFLICT = URI.create(BASE + "conflict");

	public static final URI UNAUTHORIZED = URI.create(BASE + "unauthorized");

	public static final URI FORBIDDEN = URI.create(BASE + "forbidden");

	public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");

	public static final URI UNAVAILABLE = URI.create(BASE + "service-unavailable");

	public static final URI TOO_MANY_REQUESTS = URI.create(BASE + "too-many-requests");

	public static final URI INTERNAL = URI.create(BASE + "internal-error");

	private ProblemTypes() {
	}

	public static URI of(String slug) {
		return URI.create(BASE + slug);
	}

}
