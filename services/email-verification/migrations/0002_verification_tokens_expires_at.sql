-- The retention job deletes tokens by expiry (src/retention.ts).
create index if not exists verification_tokens_expires_at_idx on verification_tokens (expires_at);
