create table if not exists outbox (
  id uuid primary key,
  type text not null,
  event jsonb not null,
  status text not null default 'queued' check (status in ('queued', 'sent', 'abandoned')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index if not exists outbox_pending_idx on outbox (next_attempt_at) where status = 'queued';

create table if not exists processed_events (
  consumer text not null,
  event_id text not null,
  processed_at timestamptz not null default now(),
  primary key (consumer, event_id)
);
