-- compatibility: expand
-- Alert rules, the alerts module's own view of sensors, per (rule, sensor) evaluation state, alerts,
-- notification channels and the notification outbox. Nothing here reads another module's tables.

create table alert_rule (
    id              uuid primary key,
    name            varchar(100)     not null,
    sensor_id       uuid,
    kind            varchar(32),
    site            varchar(100),
    condition       varchar(8)       not null check (condition in ('ABOVE', 'BELOW')),
    threshold       double precision not null,
    clear_threshold double precision not null,
    for_duration    bigint           not null check (for_duration >= 0),
    severity        varchar(16)      not null check (severity in ('CRITICAL', 'MAJOR', 'MINOR', 'WARNING')),
    enabled         boolean          not null,
    created_at      timestamptz      not null,
    updated_at      timestamptz      not null,
    check ((sensor_id is not null and kind is null and site is null)
        or (sensor_id is null and (kind is not null or site is not null)))
);
create index alert_rule_sensor on alert_rule (sensor_id) where sensor_id is not null;
comment on column alert_rule.for_duration is 'milliseconds the condition must hold, by measurement time, before an alert opens';

-- Kept current from the sensors module's events; last_reading_at from the readings module's events.
create table alert_sensor (
    sensor_id       uuid primary key,
    kind            varchar(32)  not null,
    site            varchar(100) not null,
    offline_after   bigint       not null,
    active          boolean      not null,
    registered_at   timestamptz  not null,
    last_reading_at timestamptz
);
comment on column alert_sensor.last_reading_at is 'when the last readings of the sensor were received (not measured)';

create table alert_evaluation (
    rule_id           uuid        not null references alert_rule (id) on delete cascade,
    sensor_id         uuid        not null,
    last_evaluated_at timestamptz not null,
    breach_since      timestamptz,
    pending_peak      double precision,
    rearm_required    boolean     not null default false,
    primary key (rule_id, sensor_id)
);
comment on column alert_evaluation.last_evaluated_at is 'measurement time of the newest reading evaluated; older readings do not change the state';
comment on column alert_evaluation.rearm_required is 'a manually resolved alert opens again only after the value crossed the clear threshold';

create table alert (
    id                uuid primary key,
    rule_id           uuid,
    rule_name         varchar(100),
    type              varchar(16)      not null check (type in ('THRESHOLD', 'SENSOR_OFFLINE')),
    sensor_id         uuid             not null,
    site              varchar(100)     not null,
    severity          varchar(16)      not null,
    state             varchar(16)      not null check (state in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
    opened_at         timestamptz      not null,
    last_value        double precision,
    peak_value        double precision,
    last_breach_at    timestamptz,
    acknowledged_at   timestamptz,
    acknowledged_by   varchar(200),
    ack_comment       varchar(1000),
    resolved_at       timestamptz,
    resolved_by       varchar(200),
    resolution        varchar(32),
    resolve_comment   varchar(1000)
);
-- One alert per (rule, sensor) at a time; an offline alert has no rule.
create unique index alert_one_active on alert (type, sensor_id, coalesce(rule_id, '00000000-0000-0000-0000-000000000000'))
    where state <> 'RESOLVED';
create index alert_newest on alert (opened_at desc, id);
create index alert_by_sensor on alert (sensor_id, state);

create table notification_channel (
    id           uuid primary key,
    name         varchar(100)  not null unique,
    type         varchar(16)   not null check (type in ('WEBHOOK', 'SLACK', 'EMAIL')),
    min_severity varchar(16)   not null,
    enabled      boolean       not null,
    url          varchar(2000),
    secret       varchar(500),
    recipients   varchar(2000),
    created_at   timestamptz   not null,
    updated_at   timestamptz   not null
);
comment on column notification_channel.secret is 'HMAC-SHA256 key of a webhook; never returned by the API';

-- The outbox: written in the transaction that changes the alert, delivered by the dispatcher job.
create table notification_delivery (
    id              uuid primary key,
    channel_id      uuid          not null references notification_channel (id) on delete cascade,
    alert_id        uuid          not null,
    event           varchar(16)   not null,
    payload         text          not null,
    status          varchar(16)   not null check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        int           not null default 0,
    next_attempt_at timestamptz   not null,
    last_error      varchar(1000),
    created_at      timestamptz   not null,
    delivered_at    timestamptz
);
create index notification_delivery_due on notification_delivery (next_attempt_at) where status = 'PENDING';
create index notification_delivery_by_channel on notification_delivery (channel_id, created_at desc);
