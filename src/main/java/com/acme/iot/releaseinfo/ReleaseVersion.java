package com.acme.iot.releaseinfo;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release number {@code major.minor.patch}, ordered numerically so that 1.10.0 comes after 1.9.0.
 */
record ReleaseVersion(int major, int minor, int patch) implements Comparable<ReleaseVersion> {

	private static final Pattern STRICT = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

	/** Accepts a qualifier such as {@code -SNAPSHOT} after the three numbers, and ignores it. */
	private static final Pattern LENIENT = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:[-+.].*)?");

	private static final Comparator<ReleaseVersion> ORDER = Comparator.comparingInt(ReleaseVersion::major)
		.thenComparingInt(ReleaseVersion::minor)
		.thenComparingInt(ReleaseVersion::patch);

	/** Exactly {@code major.minor.patch}, as migration headers must write it. */
	static ReleaseVersion parse(String text) {
		return of(STRICT.matcher(text.strip()), text);
	}

	/** A project version that may carry a qualifier, e.g. {@code 0.1.0-SNAPSHOT}. */
	static ReleaseVersion parseLenient(String text) {
		return of(LENIENT.matcher(text.strip()), text);
	}

	private static ReleaseVersion of(Matcher matcher, String text) {
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a release number major.minor.patch");
		}
		return new ReleaseVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
				Integer.parseInt(matcher.group(3)));
	}

	@Override
	public int compareTo(ReleaseVersion other) {
		return ORDER.compare(this, other);
	}

	@Override
	public String toString() {
		return this.major + "." + this.minor + "." + this.patch;
	}

}
