-- One row per code. The code itself is never stored: only its HMAC, and the
-- random salt it was derived from with the server key (so a resend can send
-- the same code). Without the key, the table reveals no live code.
create table if not exists otp_codes (
  id uuid primary key,
  destination text not null,
  purpose text not null,
  channel text not null,
  code_hmac text not null,
  salt text not null,
  user_id uuid,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  last_sent_at timestamptz not null,
  sends integer not null default 1,
  attempts integer not null default 0,
  -- active: can be validated; used: spent by a success; dead: too many wrong tries;
  -- replaced: a regenerate superseded it; expired: seen past its expiry
  state text not null default 'active',
  finished_at timestamptz,
  constraint otp_codes_state check (state in ('active', 'used', 'dead', 'replaced', 'expired'))
);
-- At most one live code per destination and purpose: a second insert fails instead of leaving two.
create unique index if not exists otp_codes_live_key on otp_codes (destination, purpose) where state = 'active';
create index if not exists otp_codes_created_at_idx on otp_codes (created_at);
