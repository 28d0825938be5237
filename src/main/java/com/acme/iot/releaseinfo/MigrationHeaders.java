package com.acme.iot.releaseinfo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import com.acme.iot.releaseinfo.ClassifiedMigration.Compatibility;

/**
 * Reads the classification every migration must declare on its first line, {@code -- compatibility: expand}
 * or {@code -- compatibility: contract since=<release>}. The same parser serves the build-time check over
 * the sources and the runtime view over the classpath, so the two can never disagree.
 */
final class MigrationHeaders {

	/** Where Flyway finds the migrations of every module at runtime. */
	static final String CLASSPATH_PATTERN = "classpath*:db/migration/**/*.sql";

	private static final Pattern FILE_NAME = Pattern.compile("V([0-9][0-9._]*)__\\w+\\.sql");

	private static final Pattern HEADER = Pattern
		.compile("-- compatibility: (?:(expand)|(contract) since=([0-9]+\\.[0-9]+\\.[0-9]+))");

	private MigrationHeaders() {
	}

	/**
	 * Classifies one migration.
	 * @throws IllegalArgumentException naming the file and what its header should look like
	 */
	static ClassifiedMigration parse(String fileName, String firstLine) {
		Matcher name = FILE_NAME.matcher(fileName);
		if (!name.matches()) {
			throw new IllegalArgumentException(fileName + ": not a versioned migration name V<version>__<module>_<description>.sql");
		}
		String header = firstLine.replace("\uFEFF", "").strip();
		Matcher matcher = HEADER.matcher(header);
		if (!matcher.matches()) {
			throw new IllegalArgumentException(fileName + ": first line must be '-- compatibility: expand' or "
					+ "'-- compatibility: contract since=<major.minor.patch>', found '" + header + "'");
		}
		String version = name.group(1).replace('_', '.');
		if (matcher.group(1) != null) {
			return new ClassifiedMigration(version, fileName, Compatibility.EXPAND, null);
		}
		return new ClassifiedMigration(version, fileName, Compatibility.CONTRACT, ReleaseVersion.parse(matcher.group(3)));
	}

	/** Every problem of the migrations under {@code root}, one message per offending file; empty when all are classified. */
	static List<String> check(Path root) {
		List<String> problems = new ArrayList<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
				if (!file.getFileName().toString().endsWith(".sql")) {
					continue;
				}
				try {
					parse(file.getFileName().toString(), firstLine(Files.newInputStream(file)));
				}
				catch (IllegalArgumentException ex) {
					problems.add(root.relativize(file) + " -> " + ex.getMessage());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return problems;
	}

	/** The classification of every migration this release ships; fails on an unclassified one. */
	static List<ClassifiedMigration> load(ResourcePatternResolver resources) {
		try {
			List<ClassifiedMigration> migrations = new ArrayList<>();
			for (Resource resource : resources.getResources(CLASSPATH_PATTERN)) {
				String name = resource.getFilename();
				if (name == null || !resource.isReadable()) {
					continue;
				}
				migrations.add(parse(name, firstLine(resource.getInputStream())));
			}
			return List.copyOf(migrations);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the migrations on the classpath", ex);
		}
	}

	private static String firstLine(InputStream input) throws IOException {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
			String line = reader.readLine();
			return (line != null) ? line : "";
		}
	}

}
