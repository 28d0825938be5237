package com.acme.iot.backup;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Passes pg_restore's SQL through, minus the {@code --clean} statements that drop a partition's own primary
 * key ({@code ALTER TABLE IF EXISTS ONLY public.reading_p202702 DROP CONSTRAINT IF EXISTS …}), which
 * PostgreSQL refuses for an inherited constraint. Only the clean-up section before the first data is
 * inspected; everything after it, data included, streams through untouched.
 */
class PartitionConstraintDropFilter extends FilterOutputStream {

	private final Set<String> partitions;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private boolean passThrough;

	PartitionConstraintDropFilter(OutputStream out, Set<String> partitions) {
		super(out);
		this.partitions = partitions;
		this.passThrough = partitions.isEmpty();
	}

	@Override
	public void write(int b) throws IOException {
		if (this.passThrough) {
			this.out.write(b);
			return;
		}
		this.line.write(b);
		if (b == '\n') {
			flushLine();
		}
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		if (this.passThrough) {
			this.out.write(bytes, offset, length);
			return;
		}
		for (int i = offset; i < offset + length && !this.passThrough; i++) {
			write(bytes[i]);
			if (this.passThrough && i + 1 < offset + length) {
				this.out.write(bytes, i + 1, offset + length - i - 1);
				return;
			}
		}
	}

	private void flushLine() throws IOException {
		String text = this.line.toString(StandardCharsets.UTF_8);
		this.line.reset();
		if (text.startsWith("COPY ") || text.startsWith("CREATE ")) {
			this.passThrough = true;
		}
		else if (dropsPartitionConstraint(text)) {
			return;
		}
		this.out.write(text.getBytes(StandardCharsets.UTF_8));
	}

	private boolean dropsPartitionConstraint(String text) {
		String prefix = "ALTER TABLE IF EXISTS ONLY ";
		if (!text.startsWith(prefix) || !text.contains(" DROP CONSTRAINT ")) {
			return false;
		}
		String table = text.substring(prefix.length(), text.indexOf(' ', prefix.length())).replace("\"", "");
		return this.partitions.contains(table);
	}

	@Override
	public void close() throws IOException {
		if (this.line.size() > 0) {
			this.out.write(this.line.toByteArray());
			this.line.reset();
		}
		super.close();
	}

}
