-- What the retention job (src/retention.ts) deletes by. Only columns written
-- once are indexed, so a refresh (which sets used_at and last_used_at) stays a HOT update.
create index if not exists sessions_expires_at_idx on sessions (expires_at);
create index if not exists refresh_tokens_expires_at_idx on refresh_tokens (expires_at);
create index if not exists mfa_challenges_expires_at_idx on mfa_challenges (expires_at);
create index if not exists otp_request_results_received_at_idx on otp_request_results (received_at);
