import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load client of src/test/reliability/soak.sh (run with {@code java SoakLoad.java <command> ...}); every
 * request is a single-reading {@code POST /api/sensors/{id}/readings} with the server's clock:
 * <ul>
 * <li>{@code max <url> <token> <sensorsFile> <clients> <seconds>}: closed loop, prints the requests/s reached;</li>
 * <li>{@code run <url> <token> <sensorsFile> <rate> <seconds> <windowSeconds>}: open loop at a fixed rate
 * (requests/s), prints one line per window: {@code window <startSecond> requests <n> errors <n> p50_ms <x>
 * p99_ms <x>}. A request is an error when it fails or answers anything but 2xx; latency is measured from
 * the scheduled send time, so a stalled service shows up in the percentiles (no coordinated omission).</li>
 * </ul>
 */
public class SoakLoad {

	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	public static void main(String[] args) throws Exception {
		List<String> sensors = Files.readAllLines(Path.of(args[3])).stream().filter(s -> !s.isBlank()).toList();
		switch (args[0]) {
			case "max" -> max(args[1], args[2], sensors, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
			case "run" -> run(args[1], args[2], sensors, Double.parseDouble(args[4]), Integer.parseInt(args[5]),
					Integer.parseInt(args[6]));
			default -> throw new IllegalArgumentException("unknown command " + args[0]);
		}
	}

	static boolean post(String url, String token, List<String> sensors) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String sensor = sensors.get(random.nextInt(sensors.size()));
		// values around the soak's alert thresholds, so that alerts open and resolve during the run
		String body = "{\"value\":" + String.format(java.util.Locale.ROOT, "%.2f", 20 + random.nextDouble() * 15) + "}";
		HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/sensors/" + sensor + "/readings"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			return status >= 200 && status < 300;
		}
		catch (Exception ex) {
			return false;
		}
	}

	static void max(String url, String token, List<String> sensors, int clients, int seconds) throws Exception {
		AtomicLong done = new AtomicLong();
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			pool.submit(() -> {
				while (System.nanoTime() < end) {
					if (post(url, token, sensors)) {
						done.incrementAndGet();
					}
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
		System.out.printf(java.util.Locale.ROOT, "%.1f%n", done.get() / (double) seconds);
	}

	static void run(String url, String token, List<String> sensors, double rate, int seconds, int windowSeconds)
			throws Exception {
		long start = System.nanoTime();
		long total = (long) (rate * seconds);
		long interval = (long) (1_000_000_000L / rate);
		int windows = (seconds + windowSeconds - 1) / windowSeconds;
		List<List<Long>> latencies = new ArrayList<>();
		long[] errors = new long[windows];
		for (int i = 0; i < windows; i++) {
			latencies.add(Collections.synchronizedList(new ArrayList<>()));
		}
		// enough threads that a slow response does not hold back the schedule
		ExecutorService pool = Executors.newFixedThreadPool(64);
		for (long i = 0; i < total; i++) {
			long scheduled = start + i * interval;
			long wait = scheduled - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			int window = (int) Math.min(windows - 1, (scheduled - start) / TimeUnit.SECONDS.toNanos(windowSeconds));
			pool.submit(() -> {
				boolean ok = post(url, token, sensors);
				latencies.get(window).add(System.nanoTime() - scheduled);
				if (!ok) {
					synchronized (errors) {
						errors[window]++;
					}
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(120, TimeUnit.SECONDS);
		for (int i = 0; i < windows; i++) {
			List<Long> sorted = new ArrayList<>(latencies.get(i));
			Collections.sort(sorted);
			System.out.printf(java.util.Locale.ROOT, "window %d requests %d errors %d p50_ms %.1f p99_ms %.1f%n",
					i * windowSeconds, sorted.size(), errors[i], percentile(sorted, 0.50), percentile(sorted, 0.99));
		}
	}

	static double percentile(List<Long> sorted, double p) {
		if (sorted.isEmpty()) {
			return 0;
		}
		int index = (int) Math.ceil(p * sorted.size()) - 1;
		return sorted.get(Math.max(0, index)) / 1_000_000.0;
	}

}
