package com.acme.iot.platform.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decides whether a URL a user gives (a webhook, a Slack incoming webhook, any future receiver) may be
 * called: http(s) only, no credentials in it, and no internal address unless the operator allowed the host
 * by name. {@link OutboundHttp} checks the same again on the address it actually connects to.
 */
@Component
public class OutboundUrlPolicy {

	static final String INTERNAL = "points to an internal address (loopback, private, link-local, CGNAT, multicast "
			+ "or reserved); a receiver inside the network must be allowed by name in "
			+ "iot.notifications.allowed-internal-hosts";

	static final int MAX_LENGTH = 2000;

	/** Resolves a host name; {@link InetAddress#getAllByName} outside tests. */
	interface HostResolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

	private final OutboundSettings settings;

	private final HostResolver resolver;

	@Autowired
	OutboundUrlPolicy(OutboundSettings settings) {
		this(settings, InetAddress::getAllByName);
	}

	OutboundUrlPolicy(OutboundSettings settings, HostResolver resolver) {
		this.settings = settings;
		this.resolver = resolver;
	}

	/**
	 * Why {@code url} may not be a receiver, as a message for the client; empty if it may. A host name is
	 * resolved now so that an internal one is refused at once; one that does not resolve yet is accepted and
	 * checked when a delivery connects.
	 */
	public Optional<String> problem(String url) {
		Optional<String> shape = shapeProblem(url);
		if (shape.isPresent()) {
			return shape;
		}
		String host = OutboundSettings.normalize(URI.create(url).getHost());
		if (this.settings.allows(host)) {
			return Optional.empty();
		}
		try {
			for (InetAddress address : this.resolver.resolve(host)) {
				if (InternalAddresses.isInternal(address)) {
					return Optional.of(INTERNAL);
				}
			}
		}
		catch (UnknownHostException ex) {
			// Not resolvable now: the check at connect time decides.
		}
		return Optional.empty();
	}

	/** What is wrong with the URL itself, without resolving anything. */
	Optional<String> shapeProblem(String url) {
		URI uri = parse(url);
		if (uri == null || !uri.isAbsolute() || uri.getHost() == null || url.length() > MAX_LENGTH) {
			return Optional.of("must be an absolute http(s) URL of at most " + MAX_LENGTH + " characters");
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			return Optional.of("must be an http(s) URL");
		}
		if (uri.getRawUserInfo() != null) {
			return Optional.of("must not carry credentials (user:password@); use the channel's secret instead");
		}
		String host = OutboundSettings.normalize(uri.getHost());
		if (!this.settings.allows(host) && InternalAddresses.isAmbiguousNumericHost(host)) {
			return Optional.of("spells its IPv4 host in a non-standard form; write it as a.b.c.d");
		}
		return Optional.empty();
	}

	boolean allowsInternal(String host) {
		return this.settings.allows(host);
	}

	private static @Nullable URI parse(String url) {
		try {
			return new URI(url);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
