-- What a user sees of each session (GET /api/v1/auth/sessions), and when it last proved who it is
-- (the `auth_time` of its access tokens; a password, code or passkey check, at login or reauthentication).
alter table sessions add column if not exists ip text;
alter table sessions add column if not exists user_agent text;
alter table sessions add column if not exists auth_time timestamptz;

-- A deleted user's sessions are erased, but the gateway must go on refusing their access tokens
-- until they expire: the ids and times alone stay here for the revocation feed.
create table if not exists session_tombstones (
  id uuid primary key,
  revoked_at timestamptz not null
);
create index if not exists session_tombstones_revoked_at_idx on session_tombstones (revoked_at);
