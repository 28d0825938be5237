package com.acme.iot.readings;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;

/**
 * The opaque keyset cursor of a history page: the direction and the measurement time of the last item served,
 * so the next page starts right after it whatever was ingested meanwhile.
 */
final class HistoryCursor {

	private HistoryCursor() {
	}

	static String encode(long micros, SortOrder order) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(((order == SortOrder.asc ? "a" : "d") + micros).getBytes(StandardCharsets.US_ASCII));
	}

	static long decode(String cursor, SortOrder order) {
		try {
			String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
			if (raw.length() > 1 && raw.charAt(0) == (order == SortOrder.asc ? 'a' : 'd')) {
				return Long.parseLong(raw.substring(1));
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw ApiProblem.invalidParameter(
				FieldProblem.of("cursor", "is not a cursor this listing returned for order " + order));
	}

}
