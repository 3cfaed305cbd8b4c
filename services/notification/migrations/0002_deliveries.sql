-- Every message this service sends, one row per message and channel, from queued to sent or dead.
create table if not exists deliveries (
  id uuid primary key,
  -- The event id and the channel (or a caller's key): an event gives at most one message per channel.
  idempotency_key text not null unique,
  event_id text,
  event_type text,
  user_id text,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  template text not null,
  locale text not null default 'en',
  -- Template variables that are not secret; secret ones (a code, a link with a token) stay sealed until the send.
  variables jsonb not null default '{}',
  sealed text,
  status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed', 'dead')),
  attempts integer not null default 0,
  max_attempts integer not null,
  -- When a queued or failed row is due; for a sending row, when its worker's lease ends.
  next_attempt_at timestamptz not null default now(),
  last_error text,
  provider text,
  provider_message_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz
);
create index if not exists deliveries_due_idx on deliveries (next_attempt_at) where status in ('queued', 'sending', 'failed');
create index if not exists deliveries_user_idx on deliveries (user_id, id desc);
create index if not exists deliveries_dead_idx on deliveries (id desc) where status = 'dead';
