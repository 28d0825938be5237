-- compatibility: expand
-- The time series of every sensor, range-partitioned by month of measurement time. Monthly partitions
-- (reading_pYYYYMM) are created ahead by a scheduled job and on demand when a batch reaches a month that has
-- none; retention drops whole expired partitions.

create table reading (
    sensor_id   uuid             not null,
    measured_at timestamptz      not null,
    value       double precision not null,
    tx          bigint           not null default (pg_current_xact_id()::text::bigint),
    -- value is carried in the key's index so history pages and aggregates are index-only scans: a sensor's
    -- rows are spread over as many heap pages as there were batches, the index keeps them together.
    primary key (sensor_id, measured_at) include (value)
) partition by range (measured_at);

-- The live stream resumes by writing transaction: a block-range index is almost free to maintain on
-- append-mostly data and finds the recently written blocks.
create index reading_tx on reading using brin (tx);

comment on column reading.measured_at is 'when the value was measured (not when it arrived), microsecond precision';
comment on column reading.tx is 'id of the transaction that stored the row; orders the live stream without gaps';
