package com.acme.iot.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Identifies one backup; sorts by creation time and is safe as a file or blob name.
 */
public record BackupId(String value) {

	private static final Pattern FORMAT = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{6}");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	public BackupId {
		if (!FORMAT.matcher(value).matches()) {
			throw new IllegalArgumentException("'" + value + "' is not a backup id (like 20261124T020000Z-a1b2c3)");
		}
	}

	static boolean isValid(String value) {
		return FORMAT.matcher(value).matches();
	}

	static BackupId next(Instant now) {
		byte[] random = new byte[3];
		ThreadLocalRandom.current().nextBytes(random);
		return new BackupId(TIME.format(now) + "-" + HexFormat.of().formatHex(random));
	}

	@Override
	public String toString() {
		return this.value;
	}

}
