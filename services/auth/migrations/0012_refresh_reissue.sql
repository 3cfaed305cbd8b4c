-- A spent refresh token presented again within the reuse interval gets one new pair, once:
-- the conditional update that sets this lets exactly one such presentation through, and any
-- further one (within the interval or after) is reuse, which ends the session.
alter table refresh_tokens add column if not exists reissued_at timestamptz;
