import type { RetentionRule } from '@app/kit/db'

export interface NotificationRetention {
  NOTIFY_DELIVERY_RETENTION_HOURS: number
  NOTIFY_DEV_INBOX_RETENTION_HOURS: number
}

/** Queued, sending and failed deliveries are work in progress and never removed. */
export function notificationRetention (config: NotificationRetention): RetentionRule[] {
  return [
    { name: 'deliveries.finished', table: 'deliveries', expired: 'status in (\'sent\', \'dead\') and updated_at < $1', keepHours: config.NOTIFY_DELIVERY_RETENTION_HOURS },
    { name: 'dev_inbox', table: 'dev_inbox', expired: 'created_at < $1', keepHours: config.NOTIFY_DEV_INBOX_RETENTION_HOURS }
  ]
}
