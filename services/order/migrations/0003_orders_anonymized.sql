-- When a user is deleted their orders stay for the accounts, without anything
-- that leads back to them: user_id becomes the nil UUID (no account has it),
-- the Idempotency-Key and request hash are cleared, and this says when.
alter table orders add column if not exists anonymized_at timestamptz;
