-- Messages captured instead of sent, in development: how developers and the e2e tests read codes and links.
create table if not exists dev_inbox (
  id uuid primary key,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  subject text,
  text text not null,
  html text,
  created_at timestamptz not null default now()
);
create index if not exists dev_inbox_recipient_idx on dev_inbox (recipient, created_at desc);
