import { defineErrors } from '@app/kit/errors'

export const OrderErrors = defineErrors('order', {
  order_not_found: { status: 404, message: 'Order not found' },
  idempotency_key_reused: { status: 422, message: 'Idempotency key already used for a different order' }
})
