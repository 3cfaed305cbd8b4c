import { Type } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'

const OrderId = Type.String({ format: 'uuid' })

export const OrderItemSchema = StrictObject({
  sku: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: 'letters, digits, `.`, `_` and `-`', examples: ['TSHIRT-M-BLUE'] }),
  quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
  unitPrice: Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'price of one unit in the currency\'s minor unit (cents for EUR, yen for JPY)', examples: [1999] })
})

export const CreateOrderBodySchema = StrictObject({
  items: Type.Array(OrderItemSchema, { minItems: 1, maxItems: 100 }),
  currency: Type.String({ minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, upper case', examples: ['EUR'] })
})

export const CreateOrderHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: '^[ -~]+$',
    description: 'printable ASCII, unique per order you mean to place (a UUID does); a retry with the same key and body returns the first order instead of creating another'
  }))
})

export const OrderSchema = Type.Object({
  id: OrderId,
  userId: Type.String({ format: 'uuid' }),
  items: Type.Array(OrderItemSchema),
  total: Type.Integer({ minimum: 0, description: 'sum of quantity × unitPrice, in minor units, computed by the server' }),
  currency: Type.String(),
  status: Type.Literal('created'),
  createdAt: Type.String({ format: 'date-time' })
}, { $id: 'Order' })

export const OrderIdParamsSchema = StrictObject({ id: OrderId })

export const OrderListQuerySchema = StrictObject({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'the `nextCursor` of the previous page' })),
  userId: Type.Optional(Type.String({ format: 'uuid', description: 'whose orders (admin only); default: the caller\'s' })),
  all: Type.Optional(Type.Boolean({ description: 'every user\'s orders, newest first (admin only; not together with `userId`)' }))
})

export const OrderPageSchema = Type.Object({
  items: Type.Array(Type.Ref('Order')),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' })
})
