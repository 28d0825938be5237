package com.acme.iot;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.acme.iot.ApiOperations.Operation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded fuzz of every operation the service exposes: malformed JSON, wrong types, extreme and over-long
 * numbers, unicode edge cases, deep nesting, oversized bodies, hostile ids and query parameters (malformed
 * percent-encoding, instants outside what PostgreSQL stores). Besides the random requests, every query
 * parameter of every operation gets every hostile query value once. Whatever comes in, the answer is never
 * a server error, every error is problem+json, and every answer is one the OpenAPI document describes (status
 * and body, {@link OpenApiContract}). Reproduce a run with {@code -Dfuzz.seed=…}; size it with
 * {@code -Dfuzz.requests=…}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		// Its own context and database: the shared one carries every other test's data, which makes the
		// unfiltered list endpoints slower and the run's duration depend on test order.
		properties = "iot.test.context=hostile-input-fuzz")
class HostileInputFuzzIntegrationTests {

	static final long SEED = Long.getLong("fuzz.seed", 20261124L);

	static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);

	static final List<String> NUMBERS = List.of("1e309", "-1e309", "1e-400", "123456789012345678901234567890123456789",
			"-0", "0.0000000000000000000000001", "9223372036854775808", "-9223372036854775809", "NaN", "Infinity",
			"-Infinity", "0x1F", "01", "1.7976931348623157E308", "4.9E-324", "-1", "0", "1".repeat(400),
			"-" + "9".repeat(400) + ".5", "0." + "1".repeat(400), "2" + "0".repeat(1200));

	/**
	 * Query values sent as they are, not encoded again: escapes Tomcat cannot decode, bytes that are not UTF-8,
	 * NUL, instants beyond PostgreSQL's range, over-long numbers.
	 */
	static final List<String> RAW_QUERY_VALUES = List.of("%zz", "%C0%AF", "%E2%82", "%", "%4", "%00", "%ED%A0%80",
			"%FF", "a%2", "-999999999-01-01T00:00:00Z", "%2B999999999-12-31T00:00:00Z", "-4714-11-24T00:00:00Z",
			"%2B294277-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1".repeat(400), "0." + "1".repeat(400), "1e400");

	static final List<String> STRINGS = List.of("\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"",
			"\"\u202e reversed\"", "\"" + "é".repeat(5000) + "\"", "\"😀👩‍👩‍👧\"", "\"<script>alert(1)</script>\"",
			"\"'; drop table sensor; --\"", "\"../../etc/passwd\"", "\"PT-1S\"", "\"P99999999999999D\"",
			"\"PT9223372036854775807S\"", "\"2026-13-45T99:99:99Z\"", "\"+999999999-12-31T23:59:59Z\"",
			"\"-999999999-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00Z\"", "\"TEMPERATURE\"", "\"READER\"",
			"\"scratch\"", "\"\\\\\"", "\"%s%n%x\"", "\"${jndi:ldap://127.0.0.1/a}\"");

	static final List<String> OTHERS = List.of("true", "false", "null", "[]", "{}", "[1,2,3]", "{\"a\":{\"b\":{}}}",
			"[null]", "[\"x\",1,{}]");

	static final List<String> MALFORMED = List.of("", "{", "}", "[", "{\"a\":}", "{\"a\" 1}", "{\"a\":\"unterminated}",
			"{'single':'quotes'}", "{a:1}", "{\"a\":1,}", "[1,2,]", "nul", "tru", "{\"a\":01}", "\u0000",
			"\ufeff{}", "{\"a\":1}{\"b\":2}", "{\"a\":NaN}", "{\"a\":-}", "{\"\\uZZZZ\":1}", "<xml/>",
			"{\"a\":1}garbage", "\"just a string", "{\"a\":\"\\x41\"}");

	static final List<String> IDS = List.of("not-a-uuid", "00000000-0000-0000-0000-000000000000", "..", "%2e%2e%2f",
			"' OR 1=1 --", "x".repeat(3000), "🙂", "-1", "1e9", "null", "undefined", "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ",
			"a/b", " ");

	static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "multipart/form-data",
			"application/json; charset=utf-16", "application/x-www-form-urlencoded");

	@LocalServerPort
	int port;

	@Autowired
	WebEndpointsSupplier actuatorEndpoints;

	record Attempt(Operation operation, String path, @Nullable String body, @Nullable String contentType,
			String kind) {
	}

	@Test
	void answersHostileInputWithProblemsAndNeverAServerError() throws Exception {
		ApiClient admin = new ApiClient(this.port, "test-admin-token");
		OpenApiContract contract = admin.contract();
		List<Operation> operations = ApiOperations.discover(admin, this.actuatorEndpoints)
			.stream()
			.filter(operation -> !operation.streams())
			// A scrape takes no input to fuzz; AuthorizationMatrixIntegrationTests and the live dashboard test call it.
			.filter(operation -> !operation.toString().equals("GET /actuator/prometheus"))
			.toList();
		Random random = new Random(SEED);
		List<Attempt> attempts = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			attempts.add(attempt(operations.get(random.nextInt(operations.size())), random, i));
		}
		attempts.addAll(everyQueryParameter(operations, random));

		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<String> failures = Collections.synchronizedList(new ArrayList<>());
		List<String> slow = Collections.synchronizedList(new ArrayList<>());
		ExecutorService clients = Executors.newFixedThreadPool(4);
		for (Attempt attempt : attempts) {
			clients.submit(() -> {
				long started = System.nanoTime();
				try {
					Answer response = send(attempt);
					String body = response.body();
					int status = response.status();
					statuses.computeIfAbsent(status, key -> new AtomicInteger()).incrementAndGet();
					long millis = (System.nanoTime() - started) / 1_000_000;
					if (millis > 2_000) {
						slow.add(millis + " ms " + describe(attempt) + " -> " + status);
					}
					String contentType = response.contentType();
					if (status >= 500) {
						failures.add(describe(attempt) + " -> " + status + " " + abbreviate(body));
					}
					else if (status >= 400 && !contentType.startsWith("application/problem+json")) {
						failures.add(describe(attempt) + " -> " + status + " as " + contentType);
					}
					else if (status >= 400 && (body.contains("Exception") || body.contains("\tat "))) {
						failures.add(describe(attempt) + " -> leaks internals: " + abbreviate(body));
					}
					else if (response.complete()) {
						// Every status the service answers to hostile input is one the contract documents, with its body.
						contract.violations(attempt.operation().method(), attempt.path(), status, contentType, body)
							.forEach(violation -> failures.add(describe(attempt) + " -> " + status + ": " + violation));
					}
				}
				catch (java.io.IOException ex) {
					if (attempt.kind().equals("oversized")) {
						// The service answered 413 and closed the connection while the client was still sending.
						statuses.computeIfAbsent(413, key -> new AtomicInteger()).incrementAndGet();
					}
					else {
						failures.add(describe(attempt) + " -> " + ex);
					}
				}
				catch (Exception ex) {
					failures.add(describe(attempt) + " -> " + ex);
				}
			});
		}
		clients.shutdown();
		boolean finished = clients.awaitTermination(10, TimeUnit.MINUTES);
		slow.stream().limit(20).forEach(line -> System.out.println("Fuzz slow: " + line));
		failures.stream().limit(20).forEach(line -> System.out.println("Fuzz failure: " + line));
		assertThat(finished).as("all requests answered within 10 minutes").isTrue();

		int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
		System.out.printf("Fuzz: %d requests over %d operations (seed %d), statuses %s%n", total, operations.size(),
				SEED, new java.util.TreeMap<>(statuses));
		assertThat(failures).as("failures").isEmpty();
		assertThat(total).isEqualTo(attempts.size());
	}

	/**
	 * Every hostile query value in every query parameter of every operation, and in one it does not declare.
	 * Operations with a body get an empty object; the actuator's (backups, restores) are left to the random
	 * part, which does not start one per value.
	 */
	static List<Attempt> everyQueryParameter(List<Operation> operations, Random random) {
		List<Attempt> attempts = new ArrayList<>();
		for (Operation operation : operations) {
			if (operation.jsonBody() && operation.actuator()) {
				continue;
			}
			String path = fillPath(operation.path(), random);
			String body = operation.jsonBody() ? "{}" : null;
			String contentType = !operation.jsonBody() ? null
					: operation.method().equals("PATCH") ? "application/merge-patch+json" : "application/json";
			List<String> names = new ArrayList<>(operation.queryParameters());
			names.add("access_token");
			for (String name : names) {
				for (String value : RAW_QUERY_VALUES) {
					attempts.add(new Attempt(operation, path + "?" + name + "=" + value, body, contentType,
							"query " + name));
				}
			}
		}
		return attempts;
	}

	private Answer send(Attempt attempt) throws Exception {
		if (!isUri(attempt.path())) {
			String body = attempt.body() == null ? "" : attempt.body();
			String content = attempt.contentType() == null ? ""
					: "Content-Type: " + attempt.contentType() + "\r\nContent-Length: " + body.length() + "\r\n";
			RawHttp.Answer answer = RawHttp.send(this.port, attempt.operation().method() + " " + attempt.path()
					+ " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer test-admin-token\r\n" + content
					+ "Connection: close\r\n\r\n" + body);
			return new Answer(answer.status(), answer.contentType(), answer.body(), true);
		}
		HttpResponse<InputStream> response = sendOverHttpClient(attempt);
		try (InputStream stream = response.body()) {
			// Counted in bytes: a body cut inside 64 KiB of multi-byte text is shorter in characters.
			byte[] head = stream.readNBytes(64 * 1024 + 1);
			int length = Math.min(head.length, 64 * 1024);
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					new String(head, 0, length, StandardCharsets.UTF_8), head.length == length);
		}
	}

	/** What came back: status, content type, the start of the body and whether that is all of it. */
	record Answer(int status, String contentType, String body, boolean complete) {
	}

	private static boolean isUri(String path) {
		try {
			URI.create("http://127.0.0.1" + path);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private HttpResponse<InputStream> sendOverHttpClient(Attempt attempt) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + attempt.path()))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer test-admin-token")
			.method(attempt.operation().method(), attempt.body() == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(attempt.body()));
		if (attempt.contentType() != null) {
			request.header("Content-Type", attempt.contentType());
		}
		return new ApiClient(this.port, null).http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
	}

	static Attempt attempt(Operation operation, Random random, int index) {
		String path = fillPath(operation.path(), random);
		String query = query(operation, random);
		if (!operation.jsonBody()) {
			return new Attempt(operation, path + query, null, null, "parameters");
		}
		String contentType = operation.method().equals("PATCH") && !operation.actuator()
				? "application/merge-patch+json" : "application/json";
		int choice = random.nextInt(100);
		if (index % 2500 == 7) {
			return new Attempt(operation, path, "[" + "1,".repeat(3_000_000) + "1]", contentType, "oversized");
		}
		if (choice < 25) {
			return new Attempt(operation, path, pick(MALFORMED, random) + pick(MALFORMED, random), contentType,
					"malformed");
		}
		if (choice < 65) {
			return new Attempt(operation, path, objectFor(operation.bodySchema(), random), contentType, "typed");
		}
		if (choice < 75) {
			return new Attempt(operation, path, "[" + objectFor(operation.bodySchema(), random) + "]", contentType,
					"array");
		}
		if (choice < 85) {
			int depth = 20 + random.nextInt(200);
			return new Attempt(operation, path, "{\"labels\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
					contentType, "nested");
		}
		if (choice < 92) {
			return new Attempt(operation, path, anyValue(random), contentType, "scalar");
		}
		return new Attempt(operation, path, objectFor(operation.bodySchema(), random), pick(CONTENT_TYPES, random),
				"content-type");
	}

	static String objectFor(@Nullable JsonNode schema, Random random) {
		List<String> fields = new ArrayList<>();
		if (schema != null) {
			schema.path("properties").propertyNames().forEach(fields::add);
		}
		fields.addAll(List.of("name", "kind", "site", "time", "value", "sensorId", "threshold", "backupId", "confirm",
				"role", "location", "labels", "scope", "forDuration", "severity", "target", "trigger"));
		StringBuilder json = new StringBuilder("{");
		int count = 1 + random.nextInt(6);
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append('"').append(pick(fields, random)).append("\":").append(anyValue(random));
		}
		return json.append('}').toString();
	}

	static String anyValue(Random random) {
		return switch (random.nextInt(4)) {
			case 0 -> pick(NUMBERS, random);
			case 1, 2 -> pick(STRINGS, random);
			default -> pick(OTHERS, random);
		};
	}

	static String fillPath(String template, Random random) {
		StringBuilder path = new StringBuilder();
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\{[^}]+}").matcher(template);
		while (matcher.find()) {
			String id = random.nextInt(4) == 0 ? java.util.UUID.randomUUID().toString() : pick(IDS, random);
			matcher.appendReplacement(path, java.util.regex.Matcher
				.quoteReplacement(URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")));
		}
		matcher.appendTail(path);
		return path.toString();
	}

	static String query(Operation operation, Random random) {
		if (operation.queryParameters().isEmpty() || random.nextBoolean()) {
			return "";
		}
		StringBuilder query = new StringBuilder("?");
		for (String name : operation.queryParameters()) {
			if (random.nextBoolean()) {
				String value = switch (random.nextInt(4)) {
					case 0 -> URLEncoder.encode(pick(IDS, random), StandardCharsets.UTF_8);
					case 1 -> URLEncoder.encode(pick(NUMBERS, random), StandardCharsets.UTF_8);
					case 2 -> URLEncoder.encode(pick(STRINGS, random).replace("\"", ""), StandardCharsets.UTF_8);
					default -> pick(RAW_QUERY_VALUES, random);
				};
				query.append(name).append('=').append(value).append('&');
			}
		}
		return query.toString();
	}

	static <T> T pick(List<T> values, Random random) {
		return values.get(random.nextInt(values.size()));
	}

	static String describe(Attempt attempt) {
		return attempt.operation() + " [" + attempt.kind() + "] " + abbreviate(attempt.path()) + " "
				+ abbreviate(String.valueOf(attempt.body()));
	}

	static String abbreviate(String text) {
		return text.length() > 160 ? text.substring(0, 160) + "…" : text;
	}

}
