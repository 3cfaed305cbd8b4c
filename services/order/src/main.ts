// Runs the order service alone (a container): `node --import tsx services/order/src/main.ts`.
import { runStandalone } from '@app/kit/service'
import { orderService } from './service.ts'

await runStandalone(orderService)
