-- Password-reset link tokens. Only the sha256 of a token is stored; the token
-- itself exists in the emailed link alone.
create table if not exists reset_tokens (
  hash text primary key,
  user_id uuid not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  -- set when a reset spent it
  used_at timestamptz,
  -- set when a completed reset made every other token of the user useless
  revoked_at timestamptz
);
create index if not exists reset_tokens_user_id_idx on reset_tokens (user_id) where used_at is null and revoked_at is null;
