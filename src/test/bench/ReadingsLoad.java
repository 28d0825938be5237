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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load client of src/test/bench/readings.sh (run with {@code java ReadingsLoad.java <command> ...}):
 * <ul>
 * <li>{@code setup <url> <adminToken> <sensors> <sensorsFile>}: issues an OPERATOR token (printed) and
 * registers the sensors, writing their ids to the file;</li>
 * <li>{@code load <url> <token> <sensorsFile> <readings> <batch> <clients> <startEpochSecond> <stepSeconds>}:
 * posts the readings through POST /api/readings, one timestamp for all sensors per round, and prints
 * readings/s;</li>
 * <li>{@code csv <sensorsFile> <readings> <startEpochSecond> <stepSeconds> <file>}: writes the very same rows
 * as CSV for the raw COPY baseline;</li>
 * <li>{@code latency <url> <token> <sensorsFile> <requests> <fromIso> <toIso>}: p50/p95 of a 30-day hourly
 * aggregate and of a 1,000-reading page.</li>
 * </ul>
 */
public class ReadingsLoad {

	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "setup" -> setup(args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]));
			case "load" -> load(args[1], args[2], Path.of(args[3]), Long.parseLong(args[4]), Integer.parseInt(args[5]),
					Integer.parseInt(args[6]), Long.parseLong(args[7]), Long.parseLong(args[8]),
					(args.length > 9) ? Integer.parseInt(args[9]) : 1);
			case "csv" -> csv(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]),
					Long.parseLong(args[4]), Path.of(args[5]));
			case "latency" -> latency(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]), args[5], args[6]);
			default -> throw new IllegalArgumentException("unknown command " + args[0]);
		}
	}

	static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(120))
			.header("Authorization", "Bearer " + token)
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String field(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("no " + name + " in " + json);
		}
		return matcher.group(1);
	}

	static void setup(String url, String admin, int sensors, Path file) throws Exception {
		HttpResponse<String> token = send("POST", url + "/api/tokens", admin, "{\"name\":\"bench\",\"role\":\"OPERATOR\"}");
		String operator = field(token.body(), "token");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < sensors; i++) {
			HttpResponse<String> created = send("POST", url + "/api/sensors", operator,
					"{\"name\":\"bench-" + i + "\",\"kind\":\"TEMPERATURE\",\"site\":\"bench-" + (i % 10) + "\"}");
			if (created.statusCode() != 201) {
				throw new IllegalStateException(created.body());
			}
			ids.add(field(created.body(), "id"));
		}
		Files.write(file, ids);
		System.out.println(operator);
	}

	/** Reading number n: sensor n % sensors at start + (n / sensors) * step seconds, value derived from n. */
	static void append(StringBuilder out, String sensor, long epochSecond, long n) {
		out.append(sensor).append(',').append(Instant.ofEpochSecond(epochSecond)).append(',').append(15 + (n % 100) / 10.0);
	}

	/**
	 * Sends the readings in batches. Reading n is the {@code run}-th part of a block of {@code run} consecutive
	 * readings per sensor: with run 1 a 1,000-reading batch holds one reading of each of 1,000 sensors (one
	 * {@code ReadingsRecorded} per reading, the worst case for the alerts module); with run 100 it holds 100
	 * consecutive readings of each of 10 sensors (a gateway flushing what it buffered). The set of (sensor, time)
	 * rows is the same for every run that divides the readings per sensor.
	 */
	static void load(String url, String token, Path file, long readings, int batch, int clients, long start, long step,
			int run) throws Exception {
		List<String> sensors = Files.readAllLines(file);
		long batches = (readings + batch - 1) / batch;
		AtomicLong next = new AtomicLong();
		AtomicLong accepted = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		long began = System.nanoTime();
		List<Future<?>> workers = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			workers.add(pool.submit(() -> {
				StringBuilder body = new StringBuilder(batch * 100);
				for (long b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
					body.setLength(0);
					body.append('[');
					long first = b * batch;
					long last = Math.min(readings, first + batch);
					for (long n = first; n < last; n++) {
						if (n > first) {
							body.append(',');
						}
						long block = (long) run * sensors.size();
						int sensor = (int) ((n % block) / run);
						long index = (n / block) * run + (n % block) % run;
						body.append("{\"sensorId\":\"").append(sensors.get(sensor))
							.append("\",\"time\":\"").append(Instant.ofEpochSecond(start + index * step))
							.append("\",\"value\":").append(15 + (n % 100) / 10.0).append('}');
					}
					body.append(']');
					HttpResponse<String> response = send("POST", url + "/api/readings", token, body.toString());
					if (response.statusCode() != 200) {
						throw new IllegalStateException(response.statusCode() + " " + response.body());
					}
					Matcher matcher = Pattern.compile("\"accepted\":(\\d+)").matcher(response.body());
					matcher.find();
					accepted.addAndGet(Long.parseLong(matcher.group(1)));
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();
		double seconds = (System.nanoTime() - began) / 1e9;
		System.out.printf("readings=%d accepted=%d seconds=%.1f readings_per_second=%.0f%n", readings, accepted.get(),
				seconds, accepted.get() / seconds);
	}

	static void csv(Path file, long readings, long start, long step, Path out) throws IOException {
		List<String> sensors = Files.readAllLines(file);
		try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
			StringBuilder line = new StringBuilder(100);
			for (long n = 0; n < readings; n++) {
				line.setLength(0);
				append(line, sensors.get((int) (n % sensors.size())), start + (n / sensors.size()) * step, n);
				writer.append(line).append('\n');
			}
		}
	}

	static void latency(String url, String token, Path file, int requests, String from, String to) throws Exception {
		List<String> sensors = Files.readAllLines(file);
		Random random = new Random(42);
		// the queries were not run during the load: let the JIT compile their path (server and client) first
		for (int warmup = 0; warmup < 300; warmup++) {
			String sensor = sensors.get(random.nextInt(sensors.size()));
			send("GET", url + "/api/sensors/" + sensor + "/readings/aggregate?interval=PT1H&zone=Europe/Paris&from=" + from
					+ "&to=" + to, token, null);
			send("GET", url + "/api/sensors/" + sensor + "/readings?limit=1000&from=" + from + "&to=" + to, token, null);
		}
		long[] aggregate = new long[requests];
		long[] page = new long[requests];
		int buckets = 0;
		int items = 0;
		for (int i = 0; i < requests; i++) {
			String sensor = sensors.get(random.nextInt(sensors.size()));
			long began = System.nanoTime();
			HttpResponse<String> response = send("GET", url + "/api/sensors/" + sensor
					+ "/readings/aggregate?interval=PT1H&zone=Europe/Paris&from=" + from + "&to=" + to, token, null);
			aggregate[i] = System.nanoTime() - began;
			buckets = Math.max(buckets, count(response, "\"start\""));
			began = System.nanoTime();
			response = send("GET", url + "/api/sensors/" + sensor + "/readings?limit=1000&from=" + from + "&to=" + to,
					token, null);
			page[i] = System.nanoTime() - began;
			items = Math.max(items, count(response, "\"time\""));
		}
		System.out.printf("aggregate_30d_hourly buckets=%d p50_ms=%.1f p95_ms=%.1f%n", buckets, percentile(aggregate, 50),
				percentile(aggregate, 95));
		System.out.printf("page_1000 items=%d p50_ms=%.1f p95_ms=%.1f%n", items, percentile(page, 50), percentile(page, 95));
	}

	static int count(HttpResponse<String> response, String token) {
		if (response.statusCode() != 200) {
			throw new IllegalStateException(response.statusCode() + " " + response.body());
		}
		return response.body().split(Pattern.quote(token), -1).length - 1;
	}

	static double percentile(long[] nanos, int p) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
	}

}
