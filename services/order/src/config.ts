import { Type } from '@sinclair/typebox'

export const OrderConfigSchema = Type.Object({
  ORDER_IDEMPOTENCY_KEY_RETENTION_HOURS: Type.Integer({ default: 24, minimum: 1, maximum: 87_600, description: 'hours after an order was created during which its Idempotency-Key replays it; then the key is forgotten (the order stays)' })
})
