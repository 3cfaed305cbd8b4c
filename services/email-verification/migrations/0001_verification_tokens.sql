-- Email-verification link tokens. Only the sha256 of a token is stored; the
-- token itself exists in the emailed link alone.
create table if not exists verification_tokens (
  hash text primary key,
  user_id uuid not null,
  -- the address the token verifies: it verifies nothing once the account's email is another
  email text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  -- set when a verify spent it
  used_at timestamptz,
  -- set when a newer token of the user, or a completed verification, made it useless
  revoked_at timestamptz
);
create index if not exists verification_tokens_user_id_idx on verification_tokens (user_id) where used_at is null and revoked_at is null;
