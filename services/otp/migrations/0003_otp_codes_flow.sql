-- The flow a code was issued for (issue 11): a code of one flow never satisfies
-- another, so a code from the public /otp/generate cannot complete a phone login,
-- and a stranger's public code never replaces the owner's login or reset code.
alter table otp_codes add column if not exists flow text not null default 'verification';
drop index if exists otp_codes_live_key;
create unique index if not exists otp_codes_live_flow_key on otp_codes (destination, purpose, flow) where state = 'active';
-- Account deletion erases a user's codes by user id as well as by address.
create index if not exists otp_codes_user_id_idx on otp_codes (user_id) where user_id is not null;
