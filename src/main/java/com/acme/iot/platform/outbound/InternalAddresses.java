package com.acme.iot.platform.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells the addresses an outbound request must never reach: everything that is not globally routable unicast
 * (loopback, private, CGNAT, link-local with the cloud metadata service, multicast, unspecified, reserved,
 * documentation and benchmarking ranges), including IPv4 addresses hidden inside IPv6 ones.
 */
final class InternalAddresses {

	/** A last label made of digits or a hex number: the host is an IPv4 address, whatever its spelling. */
	private static final Pattern NUMERIC_LABEL = Pattern.compile("(0x[0-9a-f]*|[0-9]+)");

	private static final Pattern CANONICAL_IPV4 = Pattern
		.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

	private InternalAddresses() {
	}

	static boolean isInternal(InetAddress address) {
		if (address instanceof Inet4Address) {
			return isInternalIpv4(toInt(address.getAddress(), 0));
		}
		if (address instanceof Inet6Address) {
			return isInternalIpv6(address.getAddress());
		}
		return true;
	}

	/**
	 * Whether a host name is an IPv4 address in another spelling than {@code a.b.c.d} in decimal: hex
	 * ({@code 0x7f000001}), octal ({@code 0177.0.0.1}), a single integer ({@code 2130706433}) or fewer parts
	 * ({@code 127.1}). Resolvers disagree on what these mean, so they are refused outright.
	 */
	static boolean isAmbiguousNumericHost(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.endsWith(".")) {
			name = name.substring(0, name.length() - 1);
		}
		String last = name.substring(name.lastIndexOf('.') + 1);
		return !name.contains(":") && NUMERIC_LABEL.matcher(last).matches() && !CANONICAL_IPV4.matcher(name).matches();
	}

	private static boolean isInternalIpv4(int ip) {
		return in(ip, 0x00000000, 8) // "this network", 0.0.0.0
				|| in(ip, 0x0A000000, 8) // private
				|| in(ip, 0x64400000, 10) // CGNAT, shared address space
				|| in(ip, 0x7F000000, 8) // loopback
				|| in(ip, 0xA9FE0000, 16) // link-local, cloud metadata (169.254.169.254)
				|| in(ip, 0xAC100000, 12) // private
				|| in(ip, 0xC0000000, 24) // IETF protocol assignments
				|| in(ip, 0xC0000200, 24) // documentation (TEST-NET-1)
				|| in(ip, 0xC0586300, 24) // 6to4 relay anycast
				|| in(ip, 0xC0A80000, 16) // private
				|| in(ip, 0xC6120000, 15) // benchmarking
				|| in(ip, 0xC6336400, 24) // documentation (TEST-NET-2)
				|| in(ip, 0xCB007100, 24) // documentation (TEST-NET-3)
				|| in(ip, 0xE0000000, 4) // multicast
				|| in(ip, 0xF0000000, 4); // reserved and broadcast
	}

	private static boolean isInternalIpv6(byte[] b) {
		if (allZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
			return isInternalIpv4(toInt(b, 12)); // IPv4-mapped ::ffff:a.b.c.d
		}
		if (allZero(b, 0, 8) && (b[8] & 0xFF) == 0xFF && (b[9] & 0xFF) == 0xFF && allZero(b, 10, 12)) {
			return isInternalIpv4(toInt(b, 12)); // IPv4-translated ::ffff:0:a.b.c.d
		}
		if (prefix(b, 0x0064, 0xFF9B) && allZero(b, 4, 12)) {
			return isInternalIpv4(toInt(b, 12)); // NAT64 well-known prefix 64:ff9b::/96
		}
		if (prefix(b, 0x2002)) {
			return isInternalIpv4(toInt(b, 2)); // 6to4: the IPv4 address of the relay's client
		}
		int first = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
		if ((first & 0xE000) != 0x2000) {
			// Outside 2000::/3, the only global unicast space: ::, ::1, IPv4-compatible ::a.b.c.d, local-use NAT64
			// 64:ff9b:1::/48, discard 100::/64, unique local fc00::/7, link-local fe80::/10, site-local fec0::/10,
			// multicast ff00::/8 and everything still unassigned.
			return true;
		}
		return prefix(b, 0x2001, 0x0000) // Teredo, whose embedded addresses cannot be trusted
				|| (prefix(b, 0x2001, 0x0002) && b[4] == 0 && b[5] == 0) // benchmarking 2001:2::/48
				|| prefix(b, 0x2001, 0x0DB8) // documentation
				|| (first == 0x3FFF && (b[2] & 0xF0) == 0); // documentation 3fff::/20
	}

	private static boolean in(int ip, int network, int bits) {
		int mask = bits == 0 ? 0 : -1 << (32 - bits);
		return (ip & mask) == network;
	}

	private static boolean prefix(byte[] b, int... groups) {
		for (int i = 0; i < groups.length; i++) {
			int group = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
			if (group != groups[i]) {
				return false;
			}
		}
		return true;
	}

	private static boolean allZero(byte[] b, int from, int to) {
		for (int i = from; i < to; i++) {
			if (b[i] != 0) {
				return false;
			}
		}
		return true;
	}

	private static int toInt(byte[] b, int offset) {
		return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
				| (b[offset + 3] & 0xFF);
	}

}
