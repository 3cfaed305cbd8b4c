-- Erasure without breaking the chain. An entry's hash now covers `data_hash`,
-- the SHA-256 of its data's canonical JSON, instead of the data itself, so a
-- deleted user's data can be replaced by {"erased": true} while the entry (and
-- every one after it) still verifies. Entries stored before this have no
-- `data_hash` (legacy entries, hashed over their data); the service re-hashes
-- them once at start-up after checking their chain, keeping each old hash in
-- `legacy_hash` (services/audit/README.md, "Erasure").
alter table audit_events add column if not exists data_hash text;
alter table audit_events add column if not exists erased_at timestamptz;
alter table audit_events add column if not exists legacy_hash text;

-- Users whose personal data was erased: what arrives about them later is stored erased at once.
create table if not exists audit_erased_subjects (
  subject text primary key,
  erased_at timestamptz not null,
  -- the user.deleted event that asked for it
  event_id text not null
);

-- DELETE and TRUNCATE still raise for every role (the archiving procedure
-- switches this trigger off as the owner). UPDATE is checked row by row:
-- only the two changes below are let through, anything else raises.
drop trigger if exists audit_events_append_only on audit_events;
create trigger audit_events_append_only before delete or truncate on audit_events
  for each statement execute function audit_refuse_change();

create or replace function audit_guard_update() returns trigger language plpgsql as $$
begin
  -- Erasure: the data becomes {"erased": true}; its hash, and so the chain, stay.
  if old.data_hash is not null and old.erased_at is null and new.erased_at is not null
    and new.data = '{"erased": true}'::jsonb
    and (new.seq, new.event_id, new.type, new.source, new.subject, new.time, new.prev_hash, new.hash, new.received_at, new.data_hash, new.legacy_hash)
      is not distinct from (old.seq, old.event_id, old.type, old.source, old.subject, old.time, old.prev_hash, old.hash, old.received_at, old.data_hash, old.legacy_hash) then
    return new;
  end if;
  -- The one-time upgrade of a legacy entry: it gains its data hash and is re-hashed over it (so is its link), keeping the old hash.
  if old.data_hash is null and old.legacy_hash is null and new.data_hash is not null and new.legacy_hash = old.hash
    and old.erased_at is null and new.erased_at is null
    and (new.seq, new.event_id, new.type, new.source, new.subject, new.time, new.data, new.received_at)
      is not distinct from (old.seq, old.event_id, old.type, old.source, old.subject, old.time, old.data, old.received_at) then
    return new;
  end if;
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$$;

drop trigger if exists audit_events_update_guard on audit_events;
create trigger audit_events_update_guard before update on audit_events
  for each row execute function audit_guard_update();

create index if not exists audit_events_legacy_idx on audit_events (seq) where data_hash is null;
