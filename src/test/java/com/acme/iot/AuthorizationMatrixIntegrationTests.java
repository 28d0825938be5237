package com.acme.iot;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import com.acme.iot.ApiOperations.Operation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sweeps every operation of the OpenAPI document and every actuator operation with every kind of caller and
 * checks 401/403/allowed against the role the operation's handler declares. An operation that declares no
 * role and is not on the public list fails the sweep, so a new endpoint cannot slip through unprotected.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AuthorizationMatrixIntegrationTests {

	/** Operations anybody may call. */
	static final Set<String> PUBLIC = Set.of("GET /api/release", "GET /actuator/health", "GET /actuator/health/{path}",
			"GET /actuator/info", "GET /v3/api-docs");

	enum Caller {

		ANONYMOUS, DEVICE, READER, OPERATOR, ADMIN, REVOKED_TOKEN, JWT_BAD_SIGNATURE, JWT_EXPIRED

	}

	enum Access {

		PUBLIC, DEVICE, READER, OPERATOR, ADMIN

	}

	private static final Pattern ROLE = Pattern.compile("'([A-Z]+)'");

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Autowired
	WebEndpointsSupplier actuatorEndpoints;

	@Test
	void answersEveryOperationForEveryCallerAsItsRoleRequires() throws Exception {
		ApiClient admin = new ApiClient(this.port, "test-admin-token");
		Map<Caller, String> tokens = tokens(admin);
		List<Operation> operations = ApiOperations.discover(admin, this.actuatorEndpoints);
		List<String> failures = new ArrayList<>();
		int cells = 0;
		for (Operation operation : operations) {
			Set<Access> access = access(operation, failures);
			for (Caller caller : Caller.values()) {
				int status = call(operation, tokens.get(caller));
				cells++;
				String expectation = expect(access, caller, status);
				if (expectation != null) {
					failures.add(operation + " as " + caller + ": got " + status + ", expected " + expectation);
				}
			}
		}
		System.out.printf("Authorization matrix: %d operations x %d callers = %d cells%n", operations.size(),
				Caller.values().length, cells);
		assertThat(operations).as("operations discovered").hasSizeGreaterThan(8);
		assertThat(failures).isEmpty();
	}

	private static String expect(Set<Access> access, Caller caller, int status) {
		if (status >= 500) {
			return "no server error";
		}
		boolean isPublic = access.contains(Access.PUBLIC);
		return switch (caller) {
			case REVOKED_TOKEN, JWT_BAD_SIGNATURE, JWT_EXPIRED -> status == 401 ? null : "401 (bad credentials)";
			case ANONYMOUS -> isPublic ? allowed(status) : (status == 401 ? null : "401");
			case DEVICE -> (isPublic || access.contains(Access.DEVICE)) ? (status == 401 ? "not 401" : null)
					: (status == 403 ? null : "403");
			case READER -> roleAllows(access, Access.READER) ? allowed(status) : (status == 403 ? null : "403");
			case OPERATOR -> roleAllows(access, Access.OPERATOR) ? allowed(status) : (status == 403 ? null : "403");
			case ADMIN -> roleAllows(access, Access.ADMIN) ? allowed(status) : (status == 403 ? null : "403");
		};
	}

	private static String allowed(int status) {
		return (status == 401 || status == 403) ? "allowed (not 401/403)" : null;
	}

	private static boolean roleAllows(Set<Access> access, Access role) {
		if (access.contains(Access.PUBLIC)) {
			return true;
		}
		return switch (role) {
			case ADMIN -> access.contains(Access.ADMIN) || access.contains(Access.OPERATOR)
					|| access.contains(Access.READER);
			case OPERATOR -> access.contains(Access.OPERATOR) || access.contains(Access.READER);
			case READER -> access.contains(Access.READER);
			default -> false;
		};
	}

	private Set<Access> access(Operation operation, List<String> failures) {
		if (PUBLIC.contains(operation.toString())) {
			return EnumSet.of(Access.PUBLIC);
		}
		if (operation.actuator()) {
			return EnumSet.of(Access.ADMIN);
		}
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.mappings.getHandlerMethods().entrySet()) {
			RequestMappingInfo info = mapping.getKey();
			boolean pathMatches = info.getPathPatternsCondition() != null
					&& info.getPathPatternsCondition().getPatternValues().contains(operation.path());
			boolean methodMatches = info.getMethodsCondition().getMethods().isEmpty() || info.getMethodsCondition()
				.getMethods()
				.stream()
				.anyMatch(method -> method.name().equals(operation.method()));
			if (pathMatches && methodMatches) {
				HandlerMethod handler = mapping.getValue();
				PreAuthorize rule = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), PreAuthorize.class);
				if (rule == null) {
					rule = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), PreAuthorize.class);
				}
				if (rule == null) {
					failures.add(operation + " declares no @PreAuthorize and is not public");
					return EnumSet.of(Access.ADMIN);
				}
				Set<Access> roles = EnumSet.noneOf(Access.class);
				Matcher matcher = ROLE.matcher(rule.value());
				while (matcher.find()) {
					roles.add(Access.valueOf(matcher.group(1)));
				}
				return roles;
			}
		}
		failures.add(operation + " has no handler mapping");
		return EnumSet.of(Access.ADMIN);
	}

	/** Calls the operation with throw-away ids and an empty object body; reads headers only for streams. */
	private int call(Operation operation, String token) throws Exception {
		String path = ApiOperations.fill(operation.path(), UUID.randomUUID().toString());
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
		if (operation.jsonBody()) {
			request.header("Content-Type",
					operation.method().equals("PATCH") && !operation.actuator() ? "application/merge-patch+json"
							: "application/json")
				.method(operation.method(), HttpRequest.BodyPublishers.ofString("{\"unknownField\":true}"));
		}
		else {
			request.method(operation.method(), HttpRequest.BodyPublishers.noBody());
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpResponse<InputStream> response = new ApiClient(this.port, null).http()
			.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			if (!operation.streams()) {
				body.readAllBytes();
			}
		}
		return response.statusCode();
	}

	private static Map<Caller, String> tokens(ApiClient admin) throws Exception {
		String reader = admin.post("/api/tokens", "{\"name\":\"matrix-reader\",\"role\":\"READER\"}")
			.json().get("token").stringValue();
		String operator = admin.post("/api/tokens", "{\"name\":\"matrix-operator\",\"role\":\"OPERATOR\"}")
			.json().get("token").stringValue();
		var revoked = admin.post("/api/tokens", "{\"name\":\"matrix-revoked\",\"role\":\"ADMIN\"}").json();
		admin.delete("/api/tokens/" + revoked.get("id").stringValue());
		String device = admin.as(operator)
			.post("/api/sensors", "{\"name\":\"matrix\",\"kind\":\"CO2\",\"site\":\"matrix-" + UUID.randomUUID() + "\"}")
			.json()
			.get("deviceToken")
			.stringValue();
		var key = new RSAKeyGenerator(2048).keyID("matrix").generate();
		Map<Caller, String> tokens = new java.util.EnumMap<>(Caller.class);
		tokens.put(Caller.DEVICE, device);
		tokens.put(Caller.READER, reader);
		tokens.put(Caller.OPERATOR, operator);
		tokens.put(Caller.ADMIN, "test-admin-token");
		tokens.put(Caller.REVOKED_TOKEN, revoked.get("token").stringValue());
		tokens.put(Caller.JWT_BAD_SIGNATURE, jwt(key, Instant.now().plusSeconds(600)));
		tokens.put(Caller.JWT_EXPIRED, jwt(key, Instant.now().minusSeconds(600)));
		return tokens;
	}

	private static String jwt(com.nimbusds.jose.jwk.RSAKey key, Instant expiresAt) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
				new JWTClaimsSet.Builder().subject("intruder")
					.claim("roles", List.of("ADMIN"))
					.expirationTime(java.util.Date.from(expiresAt))
					.build());
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

}
