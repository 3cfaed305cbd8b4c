-- Ed25519 signing keys. The newest non-retired key signs; every non-retired key is published in the JWKS.
create table if not exists signing_keys (
  kid text primary key,
  public_jwk text not null,
  -- PKCS8 PEM, or `aes-256-gcm:<iv>:<tag>:<ciphertext>` when encrypted with AUTH_KEY_ENCRYPTION_KEY.
  private_key text not null,
  created_at timestamptz not null,
  retired_at timestamptz
);
create index if not exists signing_keys_created_at_idx on signing_keys (created_at);

-- A session is one refresh-token family, created at login; its id is the `sid` claim.
create table if not exists sessions (
  id uuid primary key,
  user_id uuid not null,
  created_at timestamptz not null,
  last_used_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text
);
create index if not exists sessions_user_id_idx on sessions (user_id);

-- Only the sha256 of a refresh token is stored; the token itself is never persisted.
create table if not exists refresh_tokens (
  hash text primary key,
  session_id uuid not null references sessions (id) on delete cascade,
  created_at timestamptz not null,
  used_at timestamptz,
  expires_at timestamptz not null
);
create index if not exists refresh_tokens_session_id_idx on refresh_tokens (session_id);
