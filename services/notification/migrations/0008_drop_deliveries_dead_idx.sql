-- The dead letters (GET /api/v1/notifications/dead, src/deliveries/delivery-store.ts listDead) are read,
-- newest first and by cursor, through deliveries_status_idx (0007): status = 'dead' and id < cursor are both
-- its index conditions. The partial index of 0002 only cost writes; the planner no longer chose it.
drop index if exists deliveries_dead_idx;
