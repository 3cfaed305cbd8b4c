-- Orders and their lines. Amounts are integers in the currency's minor unit.
create table if not exists orders (
  -- UUIDv7: ordering by id is ordering by creation, which the list's cursor relies on
  id uuid primary key,
  user_id uuid not null,
  currency text not null,
  total bigint not null check (total >= 0),
  status text not null default 'created',
  created_at timestamptz not null,
  -- the client's Idempotency-Key, scoped to the user; null when none was sent (nulls never clash)
  idempotency_key text,
  -- sha256 of the request that used the key: a retry matches it, a different order under the same key does not
  request_hash text,
  constraint orders_idempotency_key unique (user_id, idempotency_key)
);
create index if not exists orders_user_id_idx on orders (user_id, id desc);

create table if not exists order_items (
  order_id uuid not null references orders (id) on delete cascade,
  -- the line's place in the request, from 0
  position integer not null,
  sku text not null,
  quantity integer not null check (quantity > 0),
  unit_price bigint not null check (unit_price >= 0),
  primary key (order_id, position)
);
