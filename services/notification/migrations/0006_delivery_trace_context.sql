-- The W3C trace context a delivery was queued in (docs/operations.md, Tracing):
-- the worker's provider send joins that trace, however much later it runs.
alter table deliveries add column if not exists traceparent text;
