-- What erasing a deleted user's data (src/security/erase.ts) looks rows up by.
create index if not exists deliveries_unowned_recipient_idx on deliveries (lower(recipient)) where user_id is null;
create index if not exists dev_inbox_recipient_lower_idx on dev_inbox (lower(recipient));
