import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { notificationRetention } from './retention.ts'
import { NotificationConfigSchema } from './config.ts'
import { registerConsumers } from './consumers.ts'
import { createComposer } from './deliveries/compose.ts'
import { createDeliveryStore } from './deliveries/delivery-store.ts'
import { createQueue } from './deliveries/queue.ts'
import { createDeliveryWorker } from './deliveries/worker.ts'
import { deliveryMetrics } from './deliveries/delivery-metrics.ts'
import { createDevInboxStore } from './dev-inbox-store.ts'
import { createProviders } from './providers/create-providers.ts'
import { selectProviders } from './providers/select-providers.ts'
import { createContacts } from './recipients/contacts.ts'
import { devInboxRoutes } from './routes/dev-inbox.ts'
import { internalRoutes } from './routes/internal.ts'
import { notificationRoutes } from './routes/notifications.ts'
import { loadTemplates } from './templates/catalogue.ts'

export const notificationService = defineService({
  name: 'notification',
  description: 'Sends email (SMTP) and SMS (Twilio) honouring user preferences, with retries and a delivery log; in development, captures them in the dev inbox.',
  configSchema: NotificationConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: notificationRetention,
  async setup (app, ctx) {
    const { config, db } = ctx
    const choice = selectProviders(config)
    const templates = await loadTemplates(fileURLToPath(new URL('../templates', import.meta.url)))
    // Fails start-up (naming EVENT_SEAL_KEYS) rather than every delivery when the keyring is missing.
    ctx.keys.seal.current()
    const sealKeys = ctx.keys.seal

    const inbox = choice.inbox ? createDevInboxStore(db) : undefined
    const providers = createProviders(choice, config, inbox)
    const store = createDeliveryStore(db, config.NOTIFY_MAX_ATTEMPTS)
    const worker = createDeliveryWorker({
      db,
      store,
      providers,
      compose: createComposer({ templates, appName: config.NOTIFY_APP_NAME, sealKeys }),
      events: ctx.events,
      log: ctx.log,
      pollMs: config.NOTIFY_WORKER_POLL_MS,
      concurrency: config.NOTIFY_WORKER_BATCH,
      leaseMs: config.NOTIFY_SEND_LEASE_MS,
      retry: { baseMs: config.NOTIFY_RETRY_BASE_MS, maxMs: config.NOTIFY_RETRY_MAX_MS },
      metrics: deliveryMetrics(app.metricsRegistry),
      tracing: ctx.tracing
    })
    ctx.onClose(async () => {
      await worker.stop()
      await Promise.all([...new Set(Object.values(providers))].map(p => p.close()))
    })
    ctx.log.info({ email: providers.email.name, sms: providers.sms.name, locales: templates.locales }, 'notification providers')

    const queue = createQueue(store, worker)
    if (inbox) devInboxRoutes(app, inbox)
    internalRoutes(app, queue, templates, sealKeys)
    notificationRoutes(app, store, worker.wake)

    await registerConsumers({
      consume: ctx.consume,
      queue,
      contacts: createContacts({ client: ctx.client('user'), cache: ctx.cache, ttlSeconds: config.NOTIFY_CONTACT_CACHE_SECONDS, log: ctx.log }),
      templates,
      sealKeys
    })
    worker.start()
  }
})
