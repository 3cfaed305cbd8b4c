-- The delivery a captured message came from: a delivery sent twice (its worker died
-- between sending and recording it) is captured once.
alter table dev_inbox add column if not exists delivery_key text;
create unique index if not exists dev_inbox_delivery_key on dev_inbox (delivery_key) where delivery_key is not null;
