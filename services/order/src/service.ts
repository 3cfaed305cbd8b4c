import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { orderRetention } from './retention.ts'
import { OrderConfigSchema } from './config.ts'
import { createOrderService } from './order-service.ts'
import { createOrderStore } from './order-store.pg.ts'
import { orderRoutes } from './routes/orders.ts'
import { OrderSchema } from './schemas.ts'

export const orderService = defineService({
  name: 'order',
  description: 'Orders: create (idempotently with an Idempotency-Key), get and list; emits order.created. A deleted user\'s orders are anonymised.',
  configSchema: OrderConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: orderRetention,
  async setup (app, ctx) {
    const store = createOrderStore(ctx.db)
    const orders = createOrderService({ db: ctx.db, store, events: ctx.events, now: () => ctx.now() })
    app.addSchema(OrderSchema)
    orderRoutes(app, orders)

    // Anonymised, not deleted: sales records are kept for the accounts, without the link to the person.
    await ctx.consume({ name: 'user-deleted', bindings: ['user.deleted'] }, async (event, tx) => {
      await store.anonymizeOrdersOf(event.data.userId, ctx.now(), tx)
    })
  }
})
