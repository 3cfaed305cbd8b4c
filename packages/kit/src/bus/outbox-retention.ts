import type { RetentionRule } from '../db/retention.ts'

export interface OutboxRetention {
  /** Published rows: nothing reads them again. */
  sentHours: number
  /** Rows the relay gave up on: kept longer, for an operator to look into. */
  abandonedHours: number
  /** Inbox markers: a redelivery (or a dead letter replayed) older than this would be handled again. */
  processedHours: number
}

/** The kit's tables every stateful service has: the outbox and the processed-events inbox. */
export function outboxRetentionRules (keep: OutboxRetention): RetentionRule[] {
  return [
    { name: 'outbox.sent', table: 'outbox', expired: 'status = \'sent\' and sent_at < $1', keepHours: keep.sentHours },
    { name: 'outbox.abandoned', table: 'outbox', expired: 'status = \'abandoned\' and created_at < $1', keepHours: keep.abandonedHours },
    { name: 'processed_events', table: 'processed_events', expired: 'processed_at < $1', keepHours: keep.processedHours }
  ]
}
