import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Load client of the reliability scripts (run with {@code java AckLoad.java <url> <token> <sensorsFile>
 * <clients> <seconds> <batch> <maxRequests> <ackFile> [stopFile]}): each client posts gateway batches of new
 * (sensor, time) keys to POST /api/readings until the time or request budget is spent — and, when a stop file is
 * given, until that file exists (at most 5 more minutes) — retries a batch until it gets a 2xx
 * (the service may be down), and appends every key acknowledged with a 2xx to the ack file as
 * {@code sensorId,time}. Prints the status histogram, the slowest request and the acknowledged count.
 */
public class AckLoad {

	public static void main(String[] args) throws Exception {
		String url = args[0] + "/api/readings";
		String token = args[1];
		List<String> sensors = Files.readAllLines(Path.of(args[2]));
		int clients = Integer.parseInt(args[3]);
		long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
		int batch = Integer.parseInt(args[5]);
		long maxRequests = Long.parseLong(args[6]);
		Path ackFile = Path.of(args[7]);
		Path stopFile = args.length > 8 ? Path.of(args[8]) : null;
		long hardDeadline = deadline + 300_000_000_000L;
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		// Keys are unique across clients and runs: reading n is sensor n % sensors at base + n milliseconds.
		Instant base = Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		AtomicLong next = new AtomicLong();
		AtomicLong requests = new AtomicLong();
		AtomicLong acknowledged = new AtomicLong();
		LongAccumulator slowestMillis = new LongAccumulator(Math::max, 0);
		Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
		List<Thread> threads = new ArrayList<>();
		try (BufferedWriter acks = Files.newBufferedWriter(ackFile, StandardCharsets.US_ASCII)) {
			for (int c = 0; c < clients; c++) {
				Thread thread = new Thread(() -> {
					List<String> keys = new ArrayList<>(batch);
					StringBuilder body = new StringBuilder(batch * 100);
					while (requests.get() < maxRequests && System.nanoTime() < hardDeadline
							&& (System.nanoTime() < deadline || (stopFile != null && !Files.exists(stopFile)))) {
						if (keys.isEmpty()) {
							body.setLength(0);
							body.append('[');
							long first = next.getAndAdd(batch);
							for (long n = first; n < first + batch; n++) {
								String sensor = sensors.get((int) (n % sensors.size()));
								String time = base.plusMillis(n).toString();
								keys.add(sensor + "," + time);
								body.append(n > first ? "," : "").append("{\"sensorId\":\"").append(sensor)
									.append("\",\"time\":\"").append(time).append("\",\"value\":")
									.append(15 + (n % 100) / 10.0).append('}');
							}
							body.append(']');
						}
						requests.incrementAndGet();
						long began = System.nanoTime();
						String outcome;
						try {
							HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
								.timeout(Duration.ofSeconds(30))
								.header("Authorization", "Bearer " + token)
								.header("Content-Type", "application/json")
								.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
								.build(), HttpResponse.BodyHandlers.ofString());
							int status = response.statusCode();
							String type = response.headers().firstValue("Content-Type").orElse("");
							outcome = status >= 400 && !type.startsWith("application/problem+json")
									? status + "(not problem+json)" : String.valueOf(status);
							if (status / 100 == 2) {
								synchronized (acks) {
									for (String key : keys) {
										acks.write(key);
										acks.newLine();
									}
									acks.flush();
								}
								acknowledged.addAndGet(keys.size());
								keys.clear();
							}
						}
						catch (IOException ex) {
							outcome = "connection-error";
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							return;
						}
						slowestMillis.accumulate((System.nanoTime() - began) / 1_000_000);
						statuses.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
						if (!keys.isEmpty()) {
							// not acknowledged: the same batch again after a short pause
							try {
								Thread.sleep(200);
							}
							catch (InterruptedException ex) {
								Thread.currentThread().interrupt();
								return;
							}
						}
					}
				});
				thread.start();
				threads.add(thread);
			}
			for (Thread thread : threads) {
				thread.join();
			}
		}
		System.out.printf("requests=%d acknowledged=%d slowest_ms=%d statuses=%s%n", requests.get(),
				acknowledged.get(), slowestMillis.get(), new TreeMap<>(statuses));
	}

}
