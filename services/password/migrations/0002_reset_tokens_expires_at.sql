-- The retention job deletes tokens by expiry (src/retention.ts).
create index if not exists reset_tokens_expires_at_idx on reset_tokens (expires_at);
