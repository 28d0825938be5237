-- compatibility: expand
-- The sensor registry. Names are unique per site regardless of case.

create table sensor (
    id                   uuid primary key,
    name                 varchar(100)  not null,
    kind                 varchar(32)   not null,
    site                 varchar(100)  not null,
    location_latitude    double precision check (location_latitude between -90 and 90),
    location_longitude   double precision check (location_longitude between -180 and 180),
    location_description varchar(200),
    offline_after        bigint        not null check (offline_after > 0),
    labels               jsonb         not null default '{}'::jsonb,
    status               varchar(16)   not null check (status in ('ACTIVE', 'DECOMMISSIONED')),
    device_token_hash    char(64)      not null unique,
    created_at           timestamptz   not null,
    updated_at           timestamptz   not null,
    version              bigint        not null
);
create unique index sensor_name_per_site on sensor (lower(site), lower(name));
create index sensor_site_kind on sensor (site, kind);

comment on column sensor.offline_after is 'milliseconds without a reading before the sensor counts as offline';
