package com.acme.iot.platform.outbound;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import com.acme.iot.platform.outbound.GuardedDnsResolver.InternalAddressException;

/**
 * The only way this service calls a URL a user gave it. Each connection resolves through
 * {@link GuardedDnsResolver}, so an internal address is refused at connect time; no proxy, no redirects, no
 * retries, no cookies. Only the receiver's status code is read, never its body, and failures carry fixed
 * reasons rather than anything the receiver or the network said.
 */
@Component
public class OutboundHttp implements DisposableBean {

	private final OutboundUrlPolicy policy;

	private final List<CloseableHttpClient> clients = new CopyOnWriteArrayList<>();

	OutboundHttp(OutboundUrlPolicy policy) {
		this.policy = policy;
	}

	/** A client with these timeouts; {@code requestTimeout} bounds the whole exchange. */
	public Client client(Duration connectTimeout, Duration requestTimeout) {
		CloseableHttpClient http = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new GuardedDnsResolver(this.policy, SystemDefaultDnsResolver.INSTANCE))
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(Timeout.of(connectTimeout))
					.setSocketTimeout(Timeout.of(requestTimeout))
					.build())
				.setMaxConnTotal(20)
				.setMaxConnPerRoute(4)
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setResponseTimeout(Timeout.of(requestTimeout))
				.setRedirectsEnabled(false)
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.build();
		this.clients.add(http);
		return new Client(http, requestTimeout);
	}

	@Override
	public void destroy() throws IOException {
		for (CloseableHttpClient client : this.clients) {
			client.close();
		}
	}

	/** Posts JSON to receivers' URLs. */
	public final class Client {

		private final CloseableHttpClient http;

		private final Duration requestTimeout;

		private Client(CloseableHttpClient http, Duration requestTimeout) {
			this.http = http;
			this.requestTimeout = requestTimeout;
		}

		/**
		 * Posts {@code json} to {@code url} and answers the receiver's status code.
		 * @throws OutboundRefusedException when the policy refuses the URL or the address it resolves to
		 * @throws IOException with a fixed reason when the exchange fails
		 */
		public int postJson(String url, Map<String, String> headers, String json) throws IOException {
			String problem = OutboundHttp.this.policy.shapeProblem(url).orElse(null);
			if (problem != null) {
				throw new OutboundRefusedException("Refused: the URL " + problem);
			}
			HttpPost post = new HttpPost(URI.create(url));
			headers.forEach(post::setHeader);
			post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
			CompletableFuture.delayedExecutor(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.execute(post::cancel);
			try (ClassicHttpResponse response = this.http.executeOpen(null, post, null)) {
				return response.getCode();
			}
			catch (IOException ex) {
				throw describe(ex);
			}
		}

	}

	static IOException describe(IOException ex) {
		if (ex instanceof InternalAddressException) {
			return new OutboundRefusedException("Refused: the URL " + OutboundUrlPolicy.INTERNAL);
		}
		String reason;
		if (ex instanceof UnknownHostException) {
			reason = "the receiver's host name does not resolve";
		}
		else if (ex instanceof InterruptedIOException) {
			reason = "the receiver did not answer in time";
		}
		else if (ex instanceof ConnectException || ex instanceof NoRouteToHostException) {
			reason = "the receiver refused the connection or cannot be reached";
		}
		else if (ex instanceof SSLException) {
			reason = "the TLS handshake with the receiver failed";
		}
		else {
			reason = "the exchange with the receiver failed (" + ex.getClass().getSimpleName() + ")";
		}
		return new IOException(reason, ex);
	}

}
