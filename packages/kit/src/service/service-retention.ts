import type { Static, TObject } from '@sinclair/typebox'
import type { Logger } from 'pino'
import type { BaseConfig } from '../config/index.ts'
import { createRetentionJob } from '../db/index.ts'
import type { Db, RetentionRule } from '../db/index.ts'
import { outboxRetentionRules } from '../bus/index.ts'
import type { ServiceDefinition } from './define-service.ts'

function rulesOf<S extends TObject> (definition: ServiceDefinition<S>, config: BaseConfig & Static<S>): RetentionRule[] {
  const kitRules = outboxRetentionRules({
    sentHours: config.OUTBOX_SENT_RETENTION_HOURS,
    abandonedHours: config.OUTBOX_ABANDONED_RETENTION_HOURS,
    processedHours: config.PROCESSED_EVENTS_RETENTION_HOURS
  })
  return [...kitRules, ...(definition.retention?.(config) ?? [])]
}

/**
 * The background job that removes a service's expired rows: the kit's outbox
 * and processed-events rules, then the service's own. A stateless service
 * has none (and its job is never started).
 */
export function createServiceRetention<S extends TObject> (definition: ServiceDefinition<S>, options: { db: Db, config: BaseConfig & Static<S>, now: () => Date, log: Logger }) {
  const { db, config, now, log } = options
  return createRetentionJob({
    db,
    rules: definition.stateless !== true ? rulesOf(definition, config) : [],
    now,
    log,
    intervalMs: config.RETENTION_INTERVAL_MS,
    batchSize: config.RETENTION_BATCH_SIZE
  })
}
