package com.acme.iot.platform.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

/**
 * The one resolver of the outbound HTTP client, so the address checked is the address connected to: a name
 * whose DNS answer changes between the save and the delivery (rebinding) is refused when it connects.
 * Every address of the answer must be public; a mixed answer is refused too.
 */
final class GuardedDnsResolver implements DnsResolver {

	private final OutboundUrlPolicy policy;

	private final DnsResolver delegate;

	GuardedDnsResolver(OutboundUrlPolicy policy, DnsResolver delegate) {
		this.policy = policy;
		this.delegate = delegate;
	}

	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		String name = OutboundSettings.normalize(host);
		if (this.policy.allowsInternal(name)) {
			return this.delegate.resolve(name);
		}
		if (InternalAddresses.isAmbiguousNumericHost(name)) {
			throw new InternalAddressException();
		}
		InetAddress[] addresses = this.delegate.resolve(name);
		if (addresses == null || addresses.length == 0) {
			throw new UnknownHostException("No address");
		}
		for (InetAddress address : addresses) {
			if (InternalAddresses.isInternal(address)) {
				throw new InternalAddressException();
			}
		}
		return addresses;
	}

	@Override
	public String resolveCanonicalHostname(String host) throws UnknownHostException {
		return this.delegate.resolveCanonicalHostname(host);
	}

	/** Thrown instead of answering with an internal address; carries no address, so none reaches a log. */
	static final class InternalAddressException extends UnknownHostException {

		InternalAddressException() {
			super("The receiver's host resolves to an internal address");
		}

	}

}
