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
 * <li>{@code setup <url> <adminToken> <sensors> <dir>}: issues an OPERATOR token (printed), registers the
 * TEMPERATURE sensors (ids in {@code dir/sensors.txt}, "id token" with each device token in
 * {@code dir/devices.txt}), three alert rules that match every one of them, and one probe sensor
 * ({@code dir/probe.txt}) whose breaching readings measure how long an alert takes to open;</li>
 * <li>{@code load <url> <token> <sensorsFile> <readings> <batch> <clients> <startEpochSecond> <stepSeconds>
 * [run] [probeFile]}: posts the readings through POST /api/readings and prints readings/s; with a probe file,
 * meanwhile posts a breaching reading of the probe sensor every few seconds and measures until its alert is
 * open (then a clearing one, until it is resolved);</li>
 * <li>{@code csv <sensorsFile> <readings> <startEpochSecond> <stepSeconds> <file>}: writes the very same rows
 * as CSV for the raw COPY baseline ({@code tx} 0: a position no consumer of the committed-readings feed will
 * ever read, so the baseline's rows create no work for the service);</li>
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
					(args.length > 9) ? Integer.parseInt(args[9]) : 1, (args.length > 10) ? Path.of(args[10]) : null);
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

	static void setup(String url, String admin, int sensors, Path dir) throws Exception {
		HttpResponse<String> token = send("POST", url + "/api/tokens", admin, "{\"name\":\"bench\",\"role\":\"OPERATOR\"}");
		String operator = field(token.body(), "token");
		List<String> ids = new ArrayList<>();
		List<String> devices = new ArrayList<>();
		for (int i = 0; i < sensors; i++) {
			HttpResponse<String> created = send("POST", url + "/api/sensors", operator,
					"{\"name\":\"bench-" + i + "\",\"kind\":\"TEMPERATURE\",\"site\":\"bench-" + (i % 10) + "\"}");
			if (created.statusCode() != 201) {
				throw new IllegalStateException(created.body());
			}
			ids.add(field(created.body(), "id"));
			devices.add(field(created.body(), "id") + " " + field(created.body(), "deviceToken"));
		}
		// Three rules watching every sensor, enabled throughout: one that the load's values (15-25) never breach,
		// one they breach now and then for a while (pending breaches, alerts opening and resolving), one below.
		for (String rule : List.of(
				"{\"name\":\"bench too hot\",\"scope\":{\"kind\":\"TEMPERATURE\"},\"condition\":\"ABOVE\",\"threshold\":30,\"clearThreshold\":28,\"severity\":\"CRITICAL\"}",
				"{\"name\":\"bench warm\",\"scope\":{\"kind\":\"TEMPERATURE\"},\"condition\":\"ABOVE\",\"threshold\":24.5,\"clearThreshold\":22,\"forDuration\":\"PT1M\",\"severity\":\"WARNING\"}",
				"{\"name\":\"bench frost\",\"scope\":{\"kind\":\"TEMPERATURE\"},\"condition\":\"BELOW\",\"threshold\":2,\"severity\":\"MAJOR\"}")) {
			HttpResponse<String> created = send("POST", url + "/api/alert-rules", operator, rule);
			if (created.statusCode() != 201) {
				throw new IllegalStateException(created.body());
			}
		}
		HttpResponse<String> probe = send("POST", url + "/api/sensors", operator,
				"{\"name\":\"bench-probe\",\"kind\":\"TEMPERATURE\",\"site\":\"bench-probe\"}");
		if (probe.statusCode() != 201) {
			throw new IllegalStateException(probe.body());
		}
		Files.createDirectories(dir);
		Files.write(dir.resolve("sensors.txt"), ids);
		Files.write(dir.resolve("devices.txt"), devices);
		Files.writeString(dir.resolve("probe.txt"), field(probe.body(), "id") + " " + field(probe.body(), "deviceToken"));
		System.out.println(operator);
	}

	/** Reading number n: sensor n % sensors at start + (n / sensors) * step seconds, value derived from n. */
	static void append(StringBuilder out, String sensor, long epochSecond, long n) {
		out.append(sensor).append(',').append(Instant.ofEpochSecond(epochSecond)).append(',').append(15 + (n % 100) / 10.0)
			.append(",0");
	}

	/**
	 * Sends the readings in batches. Reading n is the {@code run}-th part of a block of {@code run} consecutive
	 * readings per sensor: with run 1 a 1,000-reading batch holds one reading of each of 1,000 sensors (one
	 * {@code ReadingsRecorded} per reading, the worst case for the alerts module); with run 100 it holds 100
	 * consecutive readings of each of 10 sensors (a gateway flushing what it buffered). The set of (sensor, time)
	 * rows is the same for every run that divides the readings per sensor.
	 */
	static void load(String url, String token, Path file, long readings, int batch, int clients, long start, long step,
			int run, Path probeFile) throws Exception {
		List<String> sensors = Files.readAllLines(file);
		long batches = (readings + batch - 1) / batch;
		AtomicLong next = new AtomicLong();
		AtomicLong accepted = new AtomicLong();
		AtomicLong refused = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		AlertProbe probe = probeFile == null ? null : AlertProbe.start(url, token, probeFile);
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
					while (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
						// back-pressure: a gateway keeps its batch and sends it again after the delay asked for
						refused.incrementAndGet();
						Thread.sleep(1000 * Long.parseLong(response.headers().firstValue("Retry-After").get()));
						response = send("POST", url + "/api/readings", token, body.toString());
					}
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
		String latency = probe == null ? "" : " " + probe.stop();
		System.out.printf("readings=%d accepted=%d refused_503=%d seconds=%.1f readings_per_second=%.0f%s%n", readings,
				accepted.get(), refused.get(), seconds, accepted.get() / seconds, latency);
	}

	/**
	 * Posts a breaching reading (120 °C, now) of the probe sensor with its device token, measures until its alert
	 * of the "too hot" rule is open, then posts a clearing one and waits until the alert is resolved; again every
	 * 3 seconds while the load runs. The time includes the 20 ms polling step.
	 */
	static final class AlertProbe implements Runnable {

		private final String url;

		private final String token;

		private final String sensor;

		private final String device;

		private final List<Long> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);

		private final Thread thread = new Thread(this, "alert-probe");

		private volatile String failure;

		private AlertProbe(String url, String token, String sensor, String device) {
			this.url = url;
			this.token = token;
			this.sensor = sensor;
			this.device = device;
		}

		static AlertProbe start(String url, String token, Path file) throws IOException {
			String[] line = Files.readString(file).trim().split(" ");
			AlertProbe probe = new AlertProbe(url, token, line[0], line[1]);
			probe.thread.setDaemon(true);
			probe.thread.start();
			return probe;
		}

		@Override
		public void run() {
			try {
				while (this.running.get()) {
					Thread.sleep(3000);
					long began = System.nanoTime();
					post(120);
					awaitAlert("OPEN");
					this.latencies.add(System.nanoTime() - began);
					post(20);
					awaitAlert("RESOLVED");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (Exception ex) {
				this.failure = ex.toString();
			}
		}

		/** Posts the reading as a device does: sent again after the delay a 503 asks for (the time keeps counting). */
		private void post(double value) throws Exception {
			String body = "{\"time\":\"" + Instant.now() + "\",\"value\":" + value + "}";
			String path = this.url + "/api/sensors/" + this.sensor + "/readings";
			HttpResponse<String> response = send("POST", path, this.device, body);
			while (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
				Thread.sleep(1000 * Long.parseLong(response.headers().firstValue("Retry-After").get()));
				response = send("POST", path, this.device, body);
			}
			if (response.statusCode() != 200) {
				throw new IllegalStateException("probe reading: " + response.statusCode() + " " + response.body());
			}
		}

		/** Until the newest alert of the probe sensor is in that state (60 s at most). */
		private void awaitAlert(String state) throws Exception {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (System.nanoTime() < deadline) {
				HttpResponse<String> alerts = send("GET", this.url + "/api/alerts?size=1&sensorId=" + this.sensor, this.token,
						null);
				if (alerts.statusCode() == 200 && alerts.body().contains("\"state\":\"" + state + "\"")) {
					return;
				}
				Thread.sleep(20);
			}
			throw new IllegalStateException("the probe's alert did not become " + state + " within 60 s");
		}

		String stop() throws InterruptedException {
			this.running.set(false);
			this.thread.interrupt();
			this.thread.join(70_000);
			long[] nanos = this.latencies.stream().mapToLong(Long::longValue).toArray();
			if (nanos.length == 0) {
				return "alert_latency samples=0" + (this.failure == null ? "" : " failure=" + this.failure.replace(' ', '_'));
			}
			long max = Arrays.stream(nanos).max().getAsLong();
			return String.format("alert_latency samples=%d p50_ms=%.0f max_ms=%.0f%s", nanos.length, percentile(nanos, 50),
					max / 1e6, this.failure == null ? "" : " failure=" + this.failure.replace(' ', '_'));
		}

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
