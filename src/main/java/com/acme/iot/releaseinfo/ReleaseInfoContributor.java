package com.acme.iot.releaseinfo;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * Puts the body of {@code /api/release} at the top of {@code /actuator/info}, plus the replica answering,
 * next to Boot's own {@code build} and {@code git} sections.
 */
@Component
class ReleaseInfoContributor implements InfoContributor {

	private final ReleaseInformation releases;

	ReleaseInfoContributor(ReleaseInformation releases) {
		this.releases = releases;
	}

	@Override
	public void contribute(Info.Builder builder) {
		Release release = this.releases.current();
		builder.withDetail("version", release.version())
			.withDetail("commit", release.commit())
			.withDetail("buildTime", release.buildTime())
			.withDetail("revision", release.revision())
			.withDetail("environment", release.environment())
			.withDetail("schema", release.schema());
		this.releases.replica().ifPresent(replica -> builder.withDetail("replica", replica));
	}

}
