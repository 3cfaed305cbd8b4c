-- The revocation feed pages by (revoked_at, id): many sessions ended at one instant (every session
-- of a user, or of many users) span pages without the reader asking for the same page forever.
create index if not exists sessions_revoked_at_id_idx on sessions (revoked_at, id) where revoked_at is not null;
drop index if exists sessions_revoked_at_idx;
create index if not exists session_tombstones_revoked_at_id_idx on session_tombstones (revoked_at, id);
drop index if exists session_tombstones_revoked_at_idx;
