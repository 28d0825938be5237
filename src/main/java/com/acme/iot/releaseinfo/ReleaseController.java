package com.acme.iot.releaseinfo;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@PreAuthorize("permitAll()")
@Tag(name = "Release", description = "What is running and whether the schema allows rolling back (public)")
class ReleaseController {

	private final ReleaseInformation releases;

	ReleaseController(ReleaseInformation releases) {
		this.releases = releases;
	}

	@GetMapping("/api/release")
	@Operation(operationId = "getRelease",
			summary = "Version, commit, build time, revision, environment and schema compatibility")
	Release release() {
		return this.releases.current();
	}

}
