package com.acme.iot.readings;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;

/**
 * The bucket widths of aggregates. Days, weeks (ISO, starting Monday) and months are calendar buckets in
 * the caller's time zone, so a day across a DST change has 23 or 25 hours; five minutes and an hour are
 * fixed widths aligned to the zone's midnight.
 */
enum AggregateInterval {

	PT5M("PT5M", null), PT1H("PT1H", null), P1D("P1D", "day"), P1W("P1W", "week"), P1M("P1M", "month");

	private final String iso;

	private final String calendarField;

	AggregateInterval(String iso, String calendarField) {
		this.iso = iso;
		this.calendarField = calendarField;
	}

	static Optional<AggregateInterval> parse(String iso) {
		return Arrays.stream(values()).filter(interval -> interval.iso.equals(iso)).findFirst();
	}

	String iso() {
		return this.iso;
	}

	/** Upper bound of the number of buckets between two instants. */
	long maxBuckets(Instant from, Instant to, ZoneId zone) {
		return switch (this) {
			case PT5M -> Duration.between(from, to).toMinutes() / 5 + 1;
			case PT1H -> Duration.between(from, to).toHours() + 1;
			case P1D -> ChronoUnit.DAYS.between(from.atZone(zone), to.atZone(zone)) + 2;
			case P1W -> ChronoUnit.WEEKS.between(from.atZone(zone), to.atZone(zone)) + 2;
			case P1M -> ChronoUnit.MONTHS.between(from.atZone(zone), to.atZone(zone)) + 2;
		};
	}

	/** SQL computing a reading's bucket start from {@code measured_at}. */
	String bucketSql() {
		return this.calendarField != null ? "date_trunc('" + this.calendarField + "', measured_at, ?)"
				: "date_bin(?::interval, measured_at, ?)";
	}

	/** The parameters of {@link #bucketSql()}. */
	Object[] bucketArgs(ZoneId zone) {
		if (this.calendarField != null) {
			return new Object[] { zone.getId() };
		}
		// Buckets start at whole multiples of the width after a local midnight, e.g. 10:00 local time.
		Instant origin = LocalDate.of(2000, 1, 1).atStartOfDay(zone).toInstant();
		return new Object[] { this.iso.equals("PT5M") ? "5 minutes" : "1 hour",
				origin.atOffset(java.time.ZoneOffset.UTC) };
	}

}
