-- The retention job deletes codes by expiry (src/retention.ts).
create index if not exists otp_codes_expires_at_idx on otp_codes (expires_at);
