package com.acme.iot.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** .env.example names every setting of the README's configuration tables (those headed "| Setting |"). */
class EnvExampleUnitTests {

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	@Test
	void everySettingOfTheReadmesTablesIsInTheEnvExample() throws Exception {
		Set<String> documented = settings(Files.readAllLines(Path.of("README.md")));
		Set<String> example = new TreeSet<>();
		Matcher line = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]*)=").matcher(Files.readString(Path.of(".env.example")));
		while (line.find()) {
			example.add(line.group(1));
		}

		assertThat(documented).contains("SPRING_DATASOURCE_PASSWORD", "IOT_ADMIN_TOKEN", "IOT_BACKUP_KEEPATLEAST",
				"SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI");
		Set<String> missing = new TreeSet<>(documented);
		missing.removeAll(example);
		assertThat(missing).as("settings of the README's tables missing from .env.example (add them)").isEmpty();
	}

	@Test
	void relaxedBindingNamesFollowSpringBoot() {
		assertThat(env("iot.backup.keep-at-least")).isEqualTo("IOT_BACKUP_KEEPATLEAST");
		assertThat(env("IOT_ADMIN_TOKEN")).isEqualTo("IOT_ADMIN_TOKEN");
		assertThat(settings(List.of("| Setting | Default |", "|---|---|",
				"| `spring.datasource.url` / `_username` / `_password` | unset |")))
			.containsExactly("SPRING_DATASOURCE_PASSWORD", "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME");
	}

	/** The settings of every table whose header's first cell is "Setting", as environment variables. */
	static Set<String> settings(List<String> readme) {
		Set<String> names = new TreeSet<>();
		boolean inTable = false;
		for (String line : readme) {
			if (line.startsWith("| Setting |")) {
				inTable = true;
			}
			else if (!line.startsWith("|")) {
				inTable = false;
			}
			else if (inTable && !line.startsWith("|---")) {
				String cell = line.split("\\|")[1];
				List<String> tokens = new ArrayList<>();
				Matcher code = CODE.matcher(cell);
				while (code.find()) {
					tokens.add(code.group(1).strip());
				}
				String first = tokens.get(0);
				for (String token : tokens) {
					String property = (token.startsWith(".") || token.startsWith("_"))
							? first.substring(0, first.lastIndexOf('.')) + "." + token.substring(1) : token;
					names.add(env(property));
				}
			}
		}
		return names;
	}

	static String env(String property) {
		return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
	}

}
