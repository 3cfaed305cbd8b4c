import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { PermanentError } from '@app/kit/bus'
import { NotificationConfigSchema } from './config.ts'
import { createDeliver } from './deliver.ts'
import { createDevInboxStore } from './dev-inbox-store.ts'
import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, openSecrets } from '@app/contracts/delivery'
import type { DeliveryRequest } from '@app/contracts/delivery'
import { passwordChangedMessage } from './messages/password-changed.ts'
import type { PasswordChanged } from './messages/password-changed.ts'
import { renderRequested } from './messages/requested.ts'
import { welcomeMessage } from './messages/welcome.ts'
import type { Registered } from './messages/welcome.ts'
import { devInboxRoutes } from './routes/dev-inbox.ts'
import { internalRoutes } from './routes/internal.ts'

export const notificationService = defineService({
  name: 'notification',
  description: 'Sends email and SMS; in development, captures them in the dev inbox.',
  configSchema: NotificationConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  async setup (app, { db, config, consume }) {
    const inboxEnabled = config.NOTIFY_DEV_INBOX === 'on' || (config.NOTIFY_DEV_INBOX === 'auto' && config.NODE_ENV !== 'production')
    const inbox = inboxEnabled ? createDevInboxStore(db) : undefined
    const deliver = createDeliver(inbox)
    if (inbox) devInboxRoutes(app, inbox)
    internalRoutes(app, deliver)

    await consume({ name: 'welcome', bindings: ['user.registered'] }, async (event, tx) => {
      const message = welcomeMessage(event.data as Registered, config.NOTIFY_APP_NAME)
      if (!message) throw new PermanentError('user.registered without email or phone')
      await deliver(message, tx)
    })

    await consume({ name: 'password-changed', bindings: ['password.changed'] }, async (event, tx) => {
      const message = passwordChangedMessage(event.data as PasswordChanged, config.NOTIFY_APP_NAME)
      if (!message) throw new PermanentError('password.changed without email or phone')
      await deliver(message, tx)
    })

    // Messages other services ask for (reset links, codes); their secrets arrive sealed.
    await consume({ name: 'requested', exchange: DELIVERY_EXCHANGE, bindings: [`${DELIVERY_REQUESTED}.#`] }, async (event, tx) => {
      const request = event.data as DeliveryRequest
      let secrets: Record<string, string> = {}
      try {
        if (request.sealed) secrets = openSecrets(request.sealed, config.SERVICE_SECRET ?? '')
      } catch (err) {
        throw new PermanentError('a delivery request\'s secrets cannot be opened with this SERVICE_SECRET', { cause: err })
      }
      const message = renderRequested(request, secrets, config.NOTIFY_APP_NAME)
      if (!message) throw new PermanentError(`unknown message template ${request.template}`)
      await deliver(message, tx)
    })
  }
})
