-- A hosted page's sign-in handed to an app on another origin (POST /api/v1/auth/handoff): the app gets a one-time
-- code in its redirect URL and exchanges it for a session of its own. Only the code's sha256 is stored; single use.
create table if not exists handoff_codes (
  code_hash text primary key,
  user_id uuid not null,
  -- the hosted page's session that asked for it: the code works only while it lasts (0017 adds its auth_time)
  session_id uuid not null,
  redirect_to text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);

create index if not exists handoff_codes_expires_at on handoff_codes (expires_at);
create index if not exists handoff_codes_user_id on handoff_codes (user_id);
