create table if not exists users (
  id uuid primary key,
  email text,
  phone text,
  name text,
  password_hash text,
  email_verified boolean not null default false,
  phone_verified boolean not null default false,
  roles text[] not null default '{user}',
  locale text not null default 'en',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_contact_present check (email is not null or phone is not null)
);
-- Case-insensitive uniqueness: Ann@Example.com and ann@example.com are the same account.
create unique index if not exists users_email_key on users (lower(email));
create unique index if not exists users_phone_key on users (phone);
