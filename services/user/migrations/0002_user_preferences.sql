-- Notification preferences; no row means the defaults (email on, sms on when the user has a phone).
create table if not exists user_preferences (
  user_id uuid primary key references users (id) on delete cascade,
  channels jsonb not null,
  events jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now()
);
