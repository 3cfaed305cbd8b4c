import type { CloudEvent } from '@app/kit/bus'

/** What an order confirmation needs of `order.created`. */
export interface OrderCreated {
  orderId: string
  userId: string
  items: Array<{ sku: string, quantity: number, unitPrice: number }>
  /** In the currency's minor unit, like `unitPrice`. */
  total: number
  currency: string
}

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value)

/** The order of an `order.created` event (the order itself, `id` or `orderId`), or undefined when it lacks what a confirmation shows. */
export function parseOrderCreated (event: CloudEvent): OrderCreated | undefined {
  const data = (event.data ?? {}) as Record<string, unknown>
  const orderId = data.orderId ?? data.id
  const userId = data.userId ?? event.subject
  const items = Array.isArray(data.items) ? data.items as Array<Record<string, unknown>> : undefined
  if (typeof orderId !== 'string' || typeof userId !== 'string' || !items || items.length === 0) return undefined
  if (!isInteger(data.total) || typeof data.currency !== 'string' || !/^[A-Z]{3}$/.test(data.currency)) return undefined
  if (!items.every(item => typeof item.sku === 'string' && isInteger(item.quantity) && isInteger(item.unitPrice))) return undefined
  return {
    orderId,
    userId,
    items: items.map(item => ({ sku: item.sku as string, quantity: item.quantity as number, unitPrice: item.unitPrice as number })),
    total: data.total,
    currency: data.currency
  }
}
