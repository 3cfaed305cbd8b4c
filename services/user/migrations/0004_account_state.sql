-- Moderation and pending contact changes. A disabled account keeps its data but cannot sign in.
alter table users add column if not exists disabled_at timestamptz;
-- A new email or phone waits here until it is verified; the current one stays in use meanwhile.
alter table users add column if not exists pending_email text;
alter table users add column if not exists pending_phone text;

-- Links sent to the previous address after an email change request, to put it back. Stored hashed, single use.
create table if not exists email_change_undo_tokens (
  hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  previous_email text not null,
  previous_email_verified boolean not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index if not exists email_change_undo_tokens_user_id on email_change_undo_tokens (user_id);
create index if not exists email_change_undo_tokens_expires_at on email_change_undo_tokens (expires_at);
