package com.acme.iot.backup;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The error output of pg_dump, pg_restore and psql is the reason a backup or restore failed: it must be in the
 * message even when the tool's exit is seen before the reader thread has copied its last words.
 */
class ToolErrorsUnitTests {

	@RepeatedTest(50)
	void keepsTheLastWordsOfAToolThatExitsRightAfterWritingThem() throws Exception {
		Process process = new ProcessBuilder("sh", "-c", "echo 'ERROR:  cannot drop table sensor' >&2; exit 3").start();
		PostgresTools.ToolErrors errors = PostgresTools.errors(process);

		assertThatThrownBy(() -> errors.checkExit("psql")).isInstanceOf(BackupException.class)
			.hasMessage("psql exited with 3: ERROR:  cannot drop table sensor");
	}

	@Test
	void keepsTheEndOfALongErrorOutputOnly() throws Exception {
		Process process = new ProcessBuilder("sh", "-c", "for i in $(seq 1 500); do echo \"line $i\" >&2; done; exit 1")
			.start();
		PostgresTools.ToolErrors errors = PostgresTools.errors(process);
		process.waitFor();

		assertThat(errors.text()).hasSizeLessThanOrEqualTo(2000).endsWith("line 500");
	}

	@Test
	void acceptsASuccessfulExit() throws Exception {
		Process process = new ProcessBuilder("sh", "-c", "echo 'a notice' >&2").start();
		PostgresTools.ToolErrors errors = PostgresTools.errors(process);

		assertThatNoException().isThrownBy(() -> errors.checkExit("pg_dump"));
		assertThat(errors.text()).isEqualTo("a notice");
	}

}
