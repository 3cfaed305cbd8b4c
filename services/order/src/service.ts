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
  description: 'Orders: create (idempotently with an Idempotency-Key), get and list; emits order.created.',
  configSchema: OrderConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: orderRetention,
  async setup (app, ctx) {
    const orders = createOrderService({ db: ctx.db, store: createOrderStore(ctx.db), events: ctx.events, now: () => ctx.now() })
    app.addSchema(OrderSchema)
    orderRoutes(app, orders)
  }
})
