-- The retention job forgets Idempotency-Keys by age (src/retention.ts); a row leaves this index once its key is cleared.
create index if not exists orders_idempotency_created_at_idx on orders (created_at) where idempotency_key is not null;
