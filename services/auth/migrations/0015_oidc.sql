-- Sign-in with an OpenID Connect provider.

-- A provider account (its `sub`, unique per issuer) linked to a user: how a returning sign-in finds its user.
create table if not exists oidc_identities (
  provider text not null,
  subject text not null,
  user_id uuid not null,
  -- the email the provider asserted when the identity was linked (for support; never used to find the user again)
  email text,
  created_at timestamptz not null,
  last_login_at timestamptz not null,
  primary key (provider, subject)
);

create index if not exists oidc_identities_user_id on oidc_identities (user_id);

-- A sign-in on its way through the provider: found by the sha256 of its `state`, used once.
create table if not exists oidc_flows (
  state_hash text primary key,
  provider text not null,
  -- sha256 of the browser-binding cookie: the callback must come from the browser that started
  binding_hash text not null,
  nonce text not null,
  -- the PKCE verifier (S256); useless without the provider's authorization code, which only the browser sees
  code_verifier text not null,
  redirect_uri text not null,
  redirect_to text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);

create index if not exists oidc_flows_expires_at on oidc_flows (expires_at);

-- The one-time code the callback hands the app (sha256 only): exchanged once for the token pair.
create table if not exists oidc_exchange_codes (
  code_hash text primary key,
  user_id uuid not null,
  provider text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);

create index if not exists oidc_exchange_codes_expires_at on oidc_exchange_codes (expires_at);
create index if not exists oidc_exchange_codes_user_id on oidc_exchange_codes (user_id);
