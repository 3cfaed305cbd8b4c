-- Passkeys (WebAuthn credentials): a user may have several; each signs in on its own.
create table if not exists passkeys (
  id uuid primary key,
  user_id uuid not null,
  -- the authenticator's credential id, base64url (what a login assertion names)
  credential_id text not null unique,
  -- the COSE public key, base64url
  public_key text not null,
  -- the signature counter last seen; a lower one means a cloned authenticator
  counter bigint not null default 0,
  transports text[] not null default '{}',
  -- singleDevice or multiDevice (synced), and whether it is backed up
  device_type text not null,
  backed_up boolean not null default false,
  name text not null,
  created_at timestamptz not null,
  last_used_at timestamptz
);

create index if not exists passkeys_user_id on passkeys (user_id, created_at);

-- A login waiting for its second factor that a passkey started: 'passkey' and that passkey (null: a password, a
-- magic link or an OIDC provider). It cannot be finished by a passkey: one authenticator without user verification
-- would otherwise count as both factors. Kept with the challenge, not in the cache, so no cache loss forgets it.
alter table mfa_challenges add column if not exists first_factor text;
alter table mfa_challenges add column if not exists first_passkey_id uuid;
