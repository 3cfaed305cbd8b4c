-- What the retention job (src/db/retention-job.ts) deletes by: published and
-- abandoned outbox rows by age, inbox markers by age.
create index if not exists outbox_sent_at_idx on outbox (sent_at) where status = 'sent';
create index if not exists outbox_abandoned_idx on outbox (created_at) where status = 'abandoned';
create index if not exists processed_events_processed_at_idx on processed_events (processed_at);
