-- Where an account logged in from: devices (the id inside the gh_device token) and IP networks
-- (an IPv4 address, an IPv6 /64). A known client is not held back by other clients' failed
-- logins, and a login from none of them is a "new device". Keyed by the sha256 of the login
-- identifier (the login is throttled before the account is known); the client is an HMAC under
-- the key `kid` (derived from the identity keyring), so the table lists no address or device id.
create table if not exists login_known_clients (
  identifier_hash text not null,
  kind text not null check (kind in ('device', 'network')),
  client_hash text not null,
  kid text not null,
  user_id uuid not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  primary key (identifier_hash, kind, client_hash)
);
create index if not exists login_known_clients_user_id_idx on login_known_clients (user_id);
create index if not exists login_known_clients_expires_at_idx on login_known_clients (expires_at);
