-- Orders the user placed, counted from order.created events (the order service owns the orders themselves).
alter table users add column if not exists orders_count integer not null default 0;
