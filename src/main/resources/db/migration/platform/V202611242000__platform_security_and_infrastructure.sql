-- compatibility: expand
-- API tokens (hashes only), the event publication registry of Spring Modulith and ShedLock's lock table.

create table api_token (
    id           uuid primary key,
    name         varchar(100) not null,
    role         varchar(16)  not null check (role in ('READER', 'OPERATOR', 'ADMIN')),
    secret_hash  char(64)     not null unique,
    bootstrap    boolean      not null default false,
    created_at   timestamptz  not null,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    version      bigint       not null default 0
);
-- At most one bootstrap admin token (IOT_ADMIN_TOKEN or the generated one); upserted at start-up.
create unique index api_token_one_bootstrap on api_token (bootstrap) where bootstrap;

create table event_publication (
    id                     uuid                     not null primary key,
    listener_id            text                     not null,
    event_type             text                     not null,
    serialized_event       text                     not null,
    publication_date       timestamp with time zone not null,
    completion_date        timestamp with time zone,
    status                 text,
    completion_attempts    int,
    last_resubmission_date timestamp with time zone
);
create index event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);

create table shedlock (
    name       varchar(64)  not null primary key,
    lock_until timestamptz  not null,
    locked_at  timestamptz  not null,
    locked_by  varchar(255) not null
);
