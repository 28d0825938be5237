package com.acme.iot.backup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionConstraintDropFilterUnitTests {

	@Test
	void leavesOutOnlyTheDropOfAPartitionsOwnConstraint() throws Exception {
		String script = """
				DROP INDEX IF EXISTS public.reading_time;
				ALTER TABLE IF EXISTS ONLY public.reading_p202702 DROP CONSTRAINT IF EXISTS reading_p202702_pkey;
				ALTER TABLE IF EXISTS ONLY public.reading DROP CONSTRAINT IF EXISTS reading_pkey;
				ALTER TABLE IF EXISTS ONLY public.sensor DROP CONSTRAINT IF EXISTS sensor_pkey;
				DROP TABLE IF EXISTS public.reading_p202702;
				CREATE TABLE public.reading (
				COPY public.reading_p202702 (sensor_id) FROM stdin;
				ALTER TABLE IF EXISTS ONLY public.reading_p202702 DROP CONSTRAINT IF EXISTS reading_p202702_pkey;
				\\.
				""";
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (PartitionConstraintDropFilter filter = new PartitionConstraintDropFilter(out,
				Set.of("public.reading_p202702"))) {
			byte[] bytes = script.getBytes(StandardCharsets.UTF_8);
			filter.write(bytes, 0, 100);
			filter.write(bytes, 100, bytes.length - 100);
		}

		List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
		List<String> cleanUp = lines.subList(0, lines.indexOf("CREATE TABLE public.reading ("));
		assertThat(cleanUp).doesNotContain(
				"ALTER TABLE IF EXISTS ONLY public.reading_p202702 DROP CONSTRAINT IF EXISTS reading_p202702_pkey;")
			.contains("ALTER TABLE IF EXISTS ONLY public.reading DROP CONSTRAINT IF EXISTS reading_pkey;",
					"ALTER TABLE IF EXISTS ONLY public.sensor DROP CONSTRAINT IF EXISTS sensor_pkey;",
					"DROP TABLE IF EXISTS public.reading_p202702;");
		assertThat(lines.subList(lines.indexOf("CREATE TABLE public.reading ("), lines.size()))
			.as("after the clean-up section everything, data included, passes untouched")
			.hasSize(4)
			.contains("ALTER TABLE IF EXISTS ONLY public.reading_p202702 DROP CONSTRAINT IF EXISTS reading_p202702_pkey;");
	}

	@Test
	void findsAttachedPartitionsInTheTableOfContents() {
		assertThat(Restores.partitions(List.of("214; 1259 16385 TABLE public reading postgres",
				"3204; 0 0 TABLE ATTACH public reading_p1 postgres", "3215; 0 0 INDEX ATTACH public reading_p1_idx postgres")))
			.containsExactly("public.reading_p1");
	}

}
