package com.acme.iot.alerts.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.acme.iot.alerts.lifecycle.Severity;
import com.acme.iot.platform.outbound.OutboundUrlPolicy;
import com.acme.iot.platform.web.ApiProblem;
import com.acme.iot.platform.web.FieldProblem;
import com.acme.iot.platform.web.PageResponse;

/**
 * Manages notification channels and reads their delivery log.
 */
@Service
class NotificationChannelManagement {

	private final NotificationChannels channels;

	private final NotificationOutbox outbox;

	private final Clock clock;

	private final OutboundUrlPolicy urls;

	NotificationChannelManagement(NotificationChannels channels, NotificationOutbox outbox, Clock clock,
			OutboundUrlPolicy urls) {
		this.channels = channels;
		this.outbox = outbox;
		this.clock = clock;
		this.urls = urls;
	}

	/** A channel as the API writes it; {@code secret} is write-only. */
	record ChannelDraft(@Nullable String name, @Nullable ChannelType type, @Nullable Severity minSeverity,
			@Nullable Boolean enabled, @Nullable String url, @Nullable String secret,
			@Nullable List<String> recipients) {

		static ChannelDraft of(NotificationChannel channel) {
			return new ChannelDraft(channel.name(), channel.type(), channel.minSeverity(), channel.enabled(),
					channel.url(), channel.secret(), channel.recipients().isEmpty() ? null : channel.recipients());
		}

	}

	@Transactional
	NotificationChannel create(ChannelDraft draft) {
		Instant now = this.clock.instant();
		NotificationChannel channel = validate(UUID.randomUUID(), draft, null, now, now);
		this.channels.insert(channel);
		return channel;
	}

	@Transactional(readOnly = true)
	NotificationChannel get(UUID id) {
		return this.channels.find(id).orElseThrow(() -> ApiProblem.notFound("Notification channel", id));
	}

	@Transactional(readOnly = true)
	PageResponse<NotificationChannel> list(int page, int size) {
		return new PageResponse<>(this.channels.page((long) page * size, size), page, size, this.channels.count());
	}

	@Transactional
	NotificationChannel update(UUID id, UnaryOperator<ChannelDraft> change) {
		NotificationChannel current = get(id);
		NotificationChannel changed = validate(id, change.apply(ChannelDraft.of(current)), current.type(),
				current.createdAt(), this.clock.instant());
		this.channels.update(changed);
		return changed;
	}

	@Transactional
	void delete(UUID id) {
		if (!this.channels.delete(id)) {
			throw ApiProblem.notFound("Notification channel", id);
		}
	}

	@Transactional(readOnly = true)
	PageResponse<NotificationDelivery> deliveries(UUID id, int page, int size) {
		get(id);
		return new PageResponse<>(this.outbox.ofChannel(id, (long) page * size, size), page, size,
				this.outbox.countOfChannel(id));
	}

	private NotificationChannel validate(UUID id, ChannelDraft draft, @Nullable ChannelType currentType,
			Instant createdAt, Instant updatedAt) {
		List<FieldProblem> problems = new ArrayList<>();
		String name = draft.name() == null ? null : draft.name().strip();
		if (name == null || name.isEmpty() || name.length() > 100) {
			problems.add(FieldProblem.of("name", "is required, at most 100 characters"));
		}
		ChannelType type = draft.type();
		if (type == null) {
			problems.add(FieldProblem.of("type", "is required; one of [WEBHOOK, SLACK, EMAIL]"));
		}
		else if (currentType != null && type != currentType) {
			problems.add(FieldProblem.of("type", "cannot change; create another channel instead"));
		}
		String url = blankToNull(draft.url());
		String secret = blankToNull(draft.secret());
		List<String> recipients = draft.recipients() == null ? List.of()
				: draft.recipients().stream().map(String::strip).filter(r -> !r.isEmpty()).toList();
		if (type == ChannelType.WEBHOOK || type == ChannelType.SLACK) {
			if (url == null) {
				problems.add(FieldProblem.of("url", "is required for " + type + ": an absolute http(s) URL"));
			}
			else {
				this.urls.problem(url).ifPresent(problem -> problems.add(FieldProblem.of("url", problem)));
			}
			if (!recipients.isEmpty()) {
				problems.add(FieldProblem.of("recipients", "only apply to EMAIL channels"));
			}
		}
		if (type == ChannelType.EMAIL) {
			if (recipients.isEmpty() || recipients.stream().anyMatch(r -> !r.matches("[^@\\s,]+@[^@\\s,]+"))) {
				problems.add(FieldProblem.of("recipients", "is required for EMAIL: a list of e-mail addresses"));
			}
			if (url != null) {
				problems.add(FieldProblem.of("url", "does not apply to EMAIL channels"));
			}
		}
		if (secret != null && type != ChannelType.WEBHOOK) {
			problems.add(FieldProblem.of("secret", "only applies to WEBHOOK channels"));
		}
		if (secret != null && secret.length() > 500) {
			problems.add(FieldProblem.of("secret", "must be at most 500 characters"));
		}
		if (!problems.isEmpty()) {
			throw ApiProblem.invalid(problems.get(0).field() + ": " + problems.get(0).message(), problems);
		}
		if (this.channels.nameTaken(name, id)) {
			throw ApiProblem.conflict("A notification channel named '" + name + "' already exists.");
		}
		return new NotificationChannel(id, name, type,
				draft.minSeverity() == null ? Severity.WARNING : draft.minSeverity(),
				draft.enabled() == null || draft.enabled(), url, secret, recipients, createdAt, updatedAt);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

}
