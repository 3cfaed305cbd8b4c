alter table outbox add column if not exists exchange text;
alter table outbox add column if not exists routing_key text;
