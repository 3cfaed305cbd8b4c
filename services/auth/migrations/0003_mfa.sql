-- A user's second factor: a code by SMS or email, or an authenticator app (TOTP).
create table if not exists mfa_factors (
  user_id uuid primary key,
  channel text not null check (channel in ('sms', 'email', 'totp')),
  -- the phone or email codes go to (sms, email)
  destination text,
  -- the TOTP secret, AES-GCM-sealed with AUTH_KEY_ENCRYPTION_KEY when it is set
  totp_secret text,
  enabled boolean not null default false,
  created_at timestamptz not null,
  enabled_at timestamptz,
  -- the last TOTP time step accepted: a code is never accepted twice
  last_totp_step bigint
);

-- One-time recovery codes, for when the factor is lost; only their sha256 is stored.
create table if not exists mfa_recovery_codes (
  user_id uuid not null,
  hash text not null,
  used_at timestamptz,
  primary key (user_id, hash)
);

-- A password login waiting for its second factor.
create table if not exists mfa_challenges (
  id uuid primary key,
  user_id uuid not null,
  channel text not null,
  destination text,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  attempts integer not null default 0,
  used_at timestamptz
);
