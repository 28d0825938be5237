package com.acme.iot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's clock in every test context: it starts at a chosen instant instead of today, so no test depends on
 * the date it runs on, and it keeps flowing from there, as schedulers and HTTP timeouts expect.
 * <p>
 * The start is {@value #START_PROPERTY} when that system property is set, so the whole suite can be run at an awkward
 * date, for example {@code ./mvnw verify -Diot.test.clock=2028-02-29T23:59:30Z}; otherwise {@link #DEFAULT_START}.
 * Tests derive their readings' times from {@link #instant()} or {@link #today()}, never from the wall clock.
 */
public final class TestClock extends Clock {

	/** The system property that moves every test context's clock. */
	public static final String START_PROPERTY = "iot.test.clock";

	/** A plain mid-month, mid-morning instant: no month end, DST change or leap day nearby. */
	public static final Instant DEFAULT_START = Instant.parse("2026-11-18T09:41:27Z");

	private final Instant start;

	private final long startNanos = System.nanoTime();

	private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

	public TestClock() {
		this(configuredStart());
	}

	public TestClock(Instant start) {
		this.start = start;
	}

	/** The start every test context's clock gets: {@value #START_PROPERTY}, else {@link #DEFAULT_START}. */
	public static Instant configuredStart() {
		String configured = System.getProperty(START_PROPERTY, "").trim();
		return configured.isEmpty() ? DEFAULT_START : Instant.parse(configured);
	}

	/** Moves the clock forward (or back, with a negative duration) for everyone using it. */
	public void advance(Duration by) {
		this.offset.accumulateAndGet(by, Duration::plus);
	}

	/** Undoes every {@link #advance(Duration)}: tests sharing a context call it when they are done. */
	public void reset() {
		this.offset.set(Duration.ZERO);
	}

	/** The UTC date of {@link #instant()}. */
	public LocalDate today() {
		return LocalDate.ofInstant(instant(), ZoneOffset.UTC);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return Clock.fixed(instant(), zone);
	}

	@Override
	public Instant instant() {
		return this.start.plusNanos(System.nanoTime() - this.startNanos).plus(this.offset.get());
	}

}
