-- The audit trail: one row per event, hash-chained in `seq` order. Each row's
-- `hash` is the SHA-256 of its canonical content including `prev_hash`, the
-- previous row's `hash` (64 zeros for the first row), so changing, removing or
-- reordering a row breaks the chain from there on (GET /api/v1/audit/verify).
-- Appends take a transaction-scoped advisory lock, so `seq` has no gaps and
-- the chain never forks, however many consumers or instances insert at once.
create table if not exists audit_events (
  seq bigint primary key,
  event_id text not null unique,
  type text not null,
  source text not null,
  subject text,
  time timestamptz not null,
  data jsonb not null,
  prev_hash text not null,
  hash text not null,
  received_at timestamptz not null
);
create index if not exists audit_events_subject_idx on audit_events (subject, seq);
create index if not exists audit_events_type_idx on audit_events (type text_pattern_ops, seq);
create index if not exists audit_events_time_idx on audit_events (time);

-- Where the chain starts after an operator archived its oldest rows (see
-- services/audit/README.md): the last archived seq and its hash. Empty until then.
create table if not exists audit_archive_anchors (
  through_seq bigint primary key,
  last_hash text not null,
  archived_at timestamptz not null default now()
);

-- The database itself refuses to change history: any UPDATE, DELETE or
-- TRUNCATE statement raises (even one that would touch no row), whoever
-- connects. Only the table owner can switch the trigger off, which the
-- documented archiving procedure (services/audit/README.md) does and nothing else.
create or replace function audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$$;

drop trigger if exists audit_events_append_only on audit_events;
create trigger audit_events_append_only before update or delete or truncate on audit_events
  for each statement execute function audit_refuse_change();
drop trigger if exists audit_archive_anchors_append_only on audit_archive_anchors;
create trigger audit_archive_anchors_append_only before update or delete or truncate on audit_archive_anchors
  for each statement execute function audit_refuse_change();
