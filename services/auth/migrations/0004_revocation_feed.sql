-- The gateway reads recently ended sessions (GET /internal/auth/revocations) every second.
create index if not exists sessions_revoked_at_idx on sessions (revoked_at) where revoked_at is not null;
