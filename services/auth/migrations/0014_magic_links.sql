-- Magic links (POST /api/v1/auth/magic-link). Only the sha256 of a link's token is stored, and of the nonce
-- in the cookie of the browser that asked for it. A link is spent once (used_at); when it was confirmed on the
-- hosted page and the app gets the sign-in back through redirect_to, a one-time code (its sha256) bridges the two.
create table if not exists magic_links (
  id uuid primary key,
  token_hash text not null unique,
  email text not null,
  -- the account it was sent to; null for a link that will create one (AUTH_MAGIC_LINK_SIGNUP)
  user_id uuid,
  nonce_hash text not null,
  redirect_to text,
  -- coarse, shown when the link is opened in another browser: "Firefox on Linux", "203.0.113.0/24"
  requested_agent text not null,
  requested_network text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  code_hash text unique,
  code_expires_at timestamptz,
  code_used_at timestamptz
);

create index if not exists magic_links_expires_at on magic_links (expires_at);
