-- What the otp service answered to each code request (over `auth_service_queue`): a status, never the code.
create table if not exists otp_request_results (
  request_id uuid primary key,
  destination text not null,
  purpose text not null,
  status text not null,
  received_at timestamptz not null default now()
);
