-- The periodic chain walk shared by the audit instances (src/chain-verify-job.ts):
-- one row, claimed under a transaction-scoped advisory lock, so one instance
-- walks at a time and none walks again while a recent walk's result stands.
create table if not exists audit_chain_verify (
  id boolean primary key default true check (id),
  -- set while an instance walks; a claim older than the interval is stale (the walker died)
  walking_since timestamptz,
  -- the last finished walk, by any instance
  verified_at timestamptz,
  ok boolean,
  checked bigint
);
