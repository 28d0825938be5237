package com.acme.iot.platform.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** DNS is stubbed: this machine resolves nothing outside, and the test must say what each name answers. */
class OutboundUrlPolicyUnitTests {

	static final Map<String, String> DNS = Map.of("hooks.example.com", "93.184.215.14", "metadata.example.com",
			"169.254.169.254", "mixed.example.com", "93.184.215.14,10.0.0.7", "receiver.internal", "10.20.30.40");

	final OutboundUrlPolicy policy = new OutboundUrlPolicy(new OutboundSettings(List.of("Receiver.Internal")),
			OutboundUrlPolicyUnitTests::resolve);

	@ParameterizedTest
	@ValueSource(strings = { "https://hooks.example.com/services/T0/B0/x", "http://93.184.215.14:8080/hook",
			"https://[2606:4700:4700::1111]/hook", "https://not-yet-in-dns.example.org/hook",
			"http://receiver.internal:9000/alerts", "HTTPS://HOOKS.EXAMPLE.COM/x" })
	void acceptsPublicReceiversAndAllowedInternalOnes(String url) {
		assertThat(this.policy.problem(url)).as(url).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://metadata.example.com/latest", "http://mixed.example.com/hook", "http://127.0.0.1/",
			"http://[::1]/", "http://0x7f000001/", "http://2130706433/", "http://[::ffff:169.254.169.254]/",
			"https://user:pass@hooks.example.com/", "https://token@hooks.example.com/", "ftp://hooks.example.com/",
			"file:///etc/passwd", "gopher://hooks.example.com/", "hooks.example.com/no-scheme", "http:///no-host",
			"http://hooks.example.com\\@127.0.0.1/", "http://hooks example.com/", "" })
	void refusesInternalAddressesCredentialsAndOtherSchemes(String url) {
		assertThat(this.policy.problem(url)).as(url).isPresent();
	}

	@Test
	void refusesOverlongUrls() {
		assertThat(this.policy.problem("https://hooks.example.com/" + "a".repeat(2000))).isPresent();
	}

	@Test
	void namesTheSettingThatAllowsAnInternalReceiver() {
		assertThat(this.policy.problem("http://10.0.0.1/hook")).hasValueSatisfying(
				problem -> assertThat(problem).contains("iot.notifications.allowed-internal-hosts"));
	}

	static InetAddress[] resolve(String host) throws UnknownHostException {
		String answer = DNS.get(host);
		if (answer != null) {
			String[] addresses = answer.split(",");
			InetAddress[] resolved = new InetAddress[addresses.length];
			for (int i = 0; i < addresses.length; i++) {
				resolved[i] = InetAddress.getByName(addresses[i]);
			}
			return resolved;
		}
		if (host.contains(":") || host.matches("[0-9.]+")) {
			return InetAddress.getAllByName(host);
		}
		throw new UnknownHostException(host);
	}

}
