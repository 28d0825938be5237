package com.acme.iot.releaseinfo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the service says about the release it runs.
 *
 * @param environment the name of the deployment, e.g. {@code staging} or {@code production}
 * @param earliestRelease the first release of the service: the answer to "oldest compatible release" while no
 * contract migration has been applied
 */
@ConfigurationProperties("iot.release")
public record ReleaseSettings(@DefaultValue("local") String environment, @DefaultValue("0.1.0") String earliestRelease) {
}
