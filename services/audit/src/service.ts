import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { createAuditService } from './audit-service.ts'
import { createAuditStore } from './audit-store.pg.ts'
import { upgradeLegacyChain } from './chain-upgrade.ts'
import { AuditConfigSchema } from './config.ts'
import { eventInput } from './events.ts'
import { createRecorder } from './recorder.ts'
import { createChainVerifyJob } from './chain-verify-job.ts'
import { adminRoutes } from './routes/admin.ts'
import { internalRoutes } from './routes/internal.ts'
import { AuditEventSchema } from './schemas.ts'

/** Events appended under one hold of the chain lock, at most. */
const RECORDER_BATCH = 200

export const auditService = defineService({
  name: 'audit',
  description: 'The audit trail: every platform event, stored once in an append-only, hash-chained log that administrators can query and verify.',
  configSchema: AuditConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  async setup (app, ctx) {
    const now = () => ctx.now()
    const store = createAuditStore(ctx.db)
    await upgradeLegacyChain(ctx.db, store, ctx.log)
    const audit = createAuditService({ db: ctx.db, store, now, verifyPageSize: ctx.config.AUDIT_VERIFY_PAGE_SIZE })
    app.addSchema(AuditEventSchema)
    adminRoutes(app, audit)
    internalRoutes(app, audit, now)

    // Not ctx.consume: the trail's unique event ids make appends idempotent
    // without a processed-event marker, which lets events share a transaction.
    const record = createRecorder(audit.recordMany, RECORDER_BATCH)
    // As many unacknowledged events as one batch takes: with the usual prefetch a batch could never
    // grow past it, and a burst would be appended a few events per chain lock.
    const subscription = await ctx.bus.subscribe({ group: 'audit.events', bindings: ['#'], prefetch: RECORDER_BATCH }, async (event) => { await record(eventInput(event)) })
    ctx.onClose(() => subscription.close())

    const chainCheck = createChainVerifyJob({ verify: audit.verify, db: ctx.db, registry: app.metricsRegistry, log: ctx.log, intervalMs: ctx.config.AUDIT_CHAIN_VERIFY_INTERVAL_SECONDS * 1000, now })
    chainCheck.start()
    ctx.onClose(() => chainCheck.stop())
  }
})
