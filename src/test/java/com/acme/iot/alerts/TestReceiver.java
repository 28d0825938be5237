package com.acme.iot.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 standing in for webhook and Slack receivers: records every request and
 * answers 500 to the first {@code failuresPerDelivery} attempts of each delivery, then 200.
 */
final class TestReceiver implements AutoCloseable {

	record Received(String path, Map<String, List<String>> headers, String body, Instant at) {

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter(entry -> entry.getKey().equalsIgnoreCase(name))
				.map(entry -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

	}

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> attemptsPerDelivery = new ConcurrentHashMap<>();

	private final int failuresPerDelivery;

	TestReceiver(int failuresPerDelivery) throws IOException {
		this.failuresPerDelivery = failuresPerDelivery;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	List<Received> received() {
		return List.copyOf(this.received);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Received request = new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
				body, Instant.now());
		this.received.add(request);
		String delivery = String.valueOf(request.header("X-Delivery-Id"));
		int attempt = this.attemptsPerDelivery.computeIfAbsent(delivery, key -> new AtomicInteger()).incrementAndGet();
		int status = attempt <= this.failuresPerDelivery ? 500 : 200;
		byte[] answer = (status == 200 ? "ok" : "receiver down").getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, answer.length);
		exchange.getResponseBody().write(answer);
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
