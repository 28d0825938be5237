-- compatibility: expand
-- Completed event publications are deleted from now on (spring.modulith.events.completion-mode=delete), so
-- event_publication holds only what a listener has not processed yet. The rows the former update mode kept go
-- here, once. Older releases still work against the table: they only start keeping completed rows again.
delete from event_publication where completion_date is not null or status = 'COMPLETED';
