package com.acme.iot.platform.security;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tokens")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "Tokens", description = "API tokens for people and integrations (ADMIN)")
class ApiTokenController {

	private final ApiTokenManagement tokens;

	ApiTokenController(ApiTokenManagement tokens) {
		this.tokens = tokens;
	}

	@PostMapping
	@Operation(operationId = "issueToken", summary = "Issue a token; its secret is returned once, in this response only")
	@ApiResponse(responseCode = "201", description = "Issued; Location is the token's address",
			headers = @Header(name = "Location", description = "The new token's address", required = true,
					schema = @Schema(type = "string", format = "uri-reference")))
	ResponseEntity<TokenView> issue(@Valid @RequestBody IssueTokenRequest request) {
		ApiTokenManagement.IssuedToken issued = this.tokens.issue(request.name().strip(), request.role());
		return ResponseEntity.created(URI.create("/api/tokens/" + issued.token().getId()))
			.body(TokenView.of(issued.token(), issued.secret()));
	}

	@GetMapping
	@Operation(operationId = "listTokens", summary = "List tokens, without secrets")
	List<TokenView> list() {
		return this.tokens.list().stream().map(token -> TokenView.of(token, null)).toList();
	}

	@DeleteMapping("/{id}")
	@Operation(operationId = "revokeToken", summary = "Revoke a token; it stops working at once")
	@ApiResponse(responseCode = "204", description = "Revoked (again: revoking is idempotent)")
	@ApiResponse(responseCode = "404", description = "No token has this id")
	ResponseEntity<Void> revoke(@PathVariable UUID id) {
		this.tokens.revoke(id);
		return ResponseEntity.noContent().build();
	}

	record IssueTokenRequest(@NotBlank @Size(max = 100) String name,
			@NotNull @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Role role) {
	}

	record TokenView(UUID id, String name, Role role, Instant createdAt, @Nullable Instant lastUsedAt,
			@Nullable Instant revokedAt, boolean revoked,
			@Schema(description = "The secret, only in the issuing response")
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String token) {

		static TokenView of(ApiToken token, @Nullable String secret) {
			return new TokenView(token.getId(), token.getName(), token.getRole(), token.getCreatedAt(),
					token.getLastUsedAt(), token.getRevokedAt(), token.isRevoked(), secret);
		}

	}

}
