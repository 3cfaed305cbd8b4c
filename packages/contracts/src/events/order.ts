import { Type } from '@sinclair/typebox'
import { Id, Timestamp } from './common.ts'

const MinorUnits = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })

export const OrderCreated = Type.Object({
  orderId: Id,
  userId: Id,
  items: Type.Array(Type.Object({
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    quantity: Type.Integer({ minimum: 1 }),
    /** In the currency's minor unit. */
    unitPrice: MinorUnits
  }), { minItems: 1 }),
  total: MinorUnits,
  /** ISO 4217. */
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  createdAt: Timestamp
})
