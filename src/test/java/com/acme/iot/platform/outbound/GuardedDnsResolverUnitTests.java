package com.acme.iot.platform.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The resolver answers with stubbed DNS records, as a rebinding attacker's name server would. */
class GuardedDnsResolverUnitTests {

	final Deque<String> answers = new ArrayDeque<>();

	final DnsResolver dns = new DnsResolver() {

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			return new InetAddress[] { InetAddress.getByName(GuardedDnsResolverUnitTests.this.answers.pop()) };
		}

		@Override
		public String resolveCanonicalHostname(String host) {
			return host;
		}

	};

	final OutboundSettings settings = new OutboundSettings(List.of("alerts.internal"));

	final GuardedDnsResolver resolver = new GuardedDnsResolver(new OutboundUrlPolicy(this.settings, host -> {
		throw new UnknownHostException(host);
	}), this.dns);

	@Test
	void refusesANameThatRebindsToAnInternalAddressAfterItWasChecked() throws Exception {
		this.answers.add("93.184.215.14");
		this.answers.add("127.0.0.1");

		assertThat(this.resolver.resolve("rebind.example.com")).extracting(InetAddress::getHostAddress)
			.containsExactly("93.184.215.14");
		assertThatThrownBy(() -> this.resolver.resolve("rebind.example.com"))
			.isInstanceOf(GuardedDnsResolver.InternalAddressException.class)
			.hasMessageNotContaining("127.0.0.1");
	}

	@Test
	void refusesEveryInternalAnswerIncludingMappedAndNat64Ones() {
		for (String internal : List.of("169.254.169.254", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "fd00::1", "::")) {
			this.answers.add(internal);

			assertThatThrownBy(() -> this.resolver.resolve("hooks.example.com")).as(internal)
				.isInstanceOf(GuardedDnsResolver.InternalAddressException.class);
		}
	}

	@Test
	void refusesAmbiguousNumericHostsWithoutResolvingThem() {
		assertThatThrownBy(() -> this.resolver.resolve("0x7f000001"))
			.isInstanceOf(GuardedDnsResolver.InternalAddressException.class);
		assertThat(this.answers).isEmpty();
	}

	@Test
	void resolvesAnAllowedInternalHostAsItIs() throws Exception {
		this.answers.add("10.1.2.3");

		assertThat(this.resolver.resolve("ALERTS.internal.")).extracting(InetAddress::getHostAddress)
			.containsExactly("10.1.2.3");
	}

	@Test
	void checksTheAddressesOfTheResolveCallTheConnectionOperatorMakes() {
		this.answers.add("10.0.0.9");

		assertThatThrownBy(() -> this.resolver.resolve("hooks.example.com", 443))
			.isInstanceOf(GuardedDnsResolver.InternalAddressException.class);
	}

}
