-- What the retention job (src/retention.ts) deletes by.
create index if not exists deliveries_finished_idx on deliveries (updated_at) where status in ('sent', 'dead');
create index if not exists dev_inbox_created_at_idx on dev_inbox (created_at);
