-- What the administrators' list filtered by status (GET /api/v1/notifications?status=…,
-- src/deliveries/delivery-store.ts list) reads, newest first, without walking every other status.
create index if not exists deliveries_status_idx on deliveries (status, id desc);
