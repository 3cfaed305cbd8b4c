import type { RetentionRule } from '@app/kit/db'

/** Orders are kept; only their Idempotency-Key (and the request hash it is checked against) is forgotten. */
export function orderRetention (config: { ORDER_IDEMPOTENCY_KEY_RETENTION_HOURS: number }): RetentionRule[] {
  return [{
    name: 'orders.idempotency_key',
    table: 'orders',
    expired: 'idempotency_key is not null and created_at < $1',
    clear: 'idempotency_key = null, request_hash = null',
    keepHours: config.ORDER_IDEMPOTENCY_KEY_RETENTION_HOURS
  }]
}
