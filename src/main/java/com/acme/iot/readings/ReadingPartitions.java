package com.acme.iot.readings;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The monthly partitions of {@code reading} ({@code reading_pYYYYMM}, UTC months): creates them ahead and on
 * demand, and drops whole expired ones. Creation runs in its own short transaction under an advisory lock,
 * so replicas racing for the same month do not collide and ingestion never holds the parent's lock.
 */
@Component
class ReadingPartitions {

	private static final Logger log = LoggerFactory.getLogger(ReadingPartitions.class);

	private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'reading_p'yyyyMM");

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final Set<YearMonth> known = ConcurrentHashMap.newKeySet();

	private volatile boolean loaded;

	ReadingPartitions(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	static YearMonth monthOf(long micros) {
		return YearMonth.from(StoredReading.instant(micros).atOffset(ZoneOffset.UTC));
	}

	/** Makes sure a partition exists for each month; cheap when they all do. */
	void ensure(Collection<YearMonth> months) {
		if (!this.loaded) {
			refresh();
		}
		List<YearMonth> missing = months.stream().filter(month -> !this.known.contains(month)).distinct().toList();
		if (missing.isEmpty()) {
			return;
		}
		this.ownTransaction.executeWithoutResult(status -> {
			this.jdbc.queryForObject("select pg_advisory_xact_lock(hashtext('reading partitions'))", Object.class);
			Set<YearMonth> existing = existing();
			for (YearMonth month : missing) {
				if (!existing.contains(month)) {
					this.jdbc.execute("create table " + NAME.format(month) + " partition of reading for values from ('"
							+ month.atDay(1) + " 00:00:00+00') to ('" + month.plusMonths(1).atDay(1) + " 00:00:00+00')");
					log.info("Created partition {} of table reading", NAME.format(month));
				}
			}
		});
		this.known.addAll(missing);
	}

	/** Re-reads which partitions exist, e.g. after another replica dropped some. */
	void refresh() {
		Set<YearMonth> existing = existing();
		this.known.retainAll(existing);
		this.known.addAll(existing);
		this.loaded = true;
	}

	/** Drops every partition whose months all end at or before {@code cutoff}; returns their names. */
	List<String> dropEndingBefore(Instant cutoff) {
		List<String> dropped = new ArrayList<>();
		for (YearMonth month : existing()) {
			Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
			if (!end.isAfter(cutoff)) {
				String name = NAME.format(month);
				this.ownTransaction.executeWithoutResult(status -> this.jdbc.execute("drop table if exists " + name));
				this.known.remove(month);
				dropped.add(name);
				log.info("Dropped expired partition {} of table reading", name);
			}
		}
		return dropped;
	}

	/** The months that have a partition, oldest first. */
	Set<YearMonth> existing() {
		List<String> names = this.jdbc.queryForList("""
				select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
				where i.inhparent = 'reading'::regclass""", String.class);
		Set<YearMonth> months = new TreeSet<>();
		for (String name : names) {
			if (name.matches("reading_p\\d{6}")) {
				months.add(YearMonth.parse(name.substring(9, 13) + "-" + name.substring(13)));
			}
		}
		return months;
	}

}
