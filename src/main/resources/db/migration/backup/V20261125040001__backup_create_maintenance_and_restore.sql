-- compatibility: expand
-- The maintenance flag every replica polls, and the history of restores and drills. Both describe the running
-- service, not its data: a restore keeps them out of pg_restore so they are neither rolled back nor dropped.
-- Later changes to these two tables must be idempotent (if not exists), because a restored Flyway history
-- may predate them while the tables themselves were kept.

create table if not exists backup_maintenance (
    id           smallint     primary key default 1 check (id = 1),
    reason       text         not null,
    since        timestamptz  not null,
    owner        varchar(255) not null,
    heartbeat_at timestamptz  not null
);

create table if not exists backup_restore (
    id           uuid         primary key,
    backup_id    varchar(64)  not null,
    target       varchar(16)  not null check (target in ('LIVE', 'SCRATCH')),
    status       varchar(16)  not null check (status in ('RUNNING', 'SUCCEEDED', 'FAILED')),
    phase        varchar(32)  not null,
    error        text,
    requested_by varchar(255),
    started_at   timestamptz  not null,
    finished_at  timestamptz,
    checks       text
);
create index if not exists backup_restore_by_start on backup_restore (started_at desc);
