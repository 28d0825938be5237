package com.acme.iot.platform.outbound;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class InternalAddressesUnitTests {

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1",
			"100.64.0.1", "100.127.255.255", "169.254.169.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
			"255.255.255.255", "240.0.0.1", "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.19.255.255", "198.51.100.7",
			"203.0.113.9", "192.88.99.1", "::1", "::", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "::ffff:0:7f00:1",
			"::127.0.0.1", "::8.8.8.8", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::808:808",
			"2002:7f00:1::", "2002:c0a8:101::1", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1",
			"100::1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1", "2001:2::1", "3fff::1",
			"4000::1", "e000::1" })
	void refusesEveryAddressThatIsNotPublicUnicast(String literal) throws Exception {
		assertThat(InternalAddresses.isInternal(InetAddress.getByName(literal))).as(literal).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.1", "172.15.255.255",
			"172.32.0.1", "169.253.1.1", "11.0.0.1", "223.255.255.254", "192.0.1.1", "198.20.0.1",
			"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2606:4700:4700::1111", "2a00:1450:4007:80e::200e",
			"2001:4860:4860::8888", "2001:3::1", "3ffe:ffff::1" })
	void allowsPublicUnicastAddresses(String literal) throws Exception {
		assertThat(InternalAddresses.isInternal(InetAddress.getByName(literal))).as(literal).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "0x7f000001", "0X7F000001", "2130706433", "0177.0.0.1", "127.1", "127.0.1", "0x7f.1",
			"017700000001", "127.0.0.01", "0x7f.0x0.0x0.0x1", "00000127.0.0.1", "127.0.0.1.1" })
	void refusesIpv4HostsSpelledAnyOtherWayThanDottedDecimal(String host) {
		assertThat(InternalAddresses.isAmbiguousNumericHost(host)).as(host).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "8.8.8.8", "255.255.255.255", "0.0.0.0", "1.2.3.4.", "hooks.slack.com",
			"example.com.", "1e100.net", "10-0-0-1.nip.io", "::1", "fe80::1%eth0", "x.0y" })
	void acceptsDottedDecimalAndNames(String host) {
		assertThat(InternalAddresses.isAmbiguousNumericHost(host)).as(host).isFalse();
	}

}
