package com.acme.iot.platform.web;

import java.io.IOException;

/**
 * Raised while reading a body that turns out larger than {@link WebLimits#maxRequestSize()} although it did
 * not announce its length.
 */
class RequestBodyTooLargeException extends IOException {

	RequestBodyTooLargeException(long limit) {
		super("The request body is larger than " + limit + " bytes.");
	}

}
