package com.acme.iot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request byte for byte over a plain socket: what the JDK's HTTP client refuses to send (a chosen
 * {@code Host}, malformed request lines and headers) or cannot (a chosen local address).
 */
public final class RawHttp {

	private RawHttp() {
	}

	/** The answer as text: status code, head and body as received. */
	public record Answer(int status, String head, String body) {

		/** The first value of a header, or an empty string. */
		public String header(String name) {
			for (String line : this.head.split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
					return line.substring(colon + 1).trim();
				}
			}
			return "";
		}

		public String contentType() {
			return header("Content-Type");
		}

	}

	public static Answer send(int port, String request) throws IOException {
		return send(port, "127.0.0.1", request.getBytes(StandardCharsets.ISO_8859_1));
	}

	/** Sends {@code request} from {@code localAddress} (any 127.x.y.z works on Linux) and reads until close. */
	public static Answer send(int port, String localAddress, byte[] request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(localAddress, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			int end = text.indexOf("\r\n\r\n");
			String head = end < 0 ? text : text.substring(0, end);
			String body = end < 0 ? "" : text.substring(end + 4);
			int status = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
			return new Answer(status, head, body);
		}
	}

}
