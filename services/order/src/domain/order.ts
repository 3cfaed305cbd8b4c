import { createHash } from 'node:crypto'

export interface OrderItem {
  sku: string
  quantity: number
  /** Price of one unit in the currency's minor unit (cents for EUR, yen for JPY). */
  unitPrice: number
}

export interface Order {
  id: string
  userId: string
  items: OrderItem[]
  /** Sum of quantity × unitPrice, in minor units. */
  total: number
  /** ISO 4217 code. */
  currency: string
  status: 'created'
  createdAt: string
}

export interface OrderRequest {
  items: OrderItem[]
  currency: string
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

/** True for a current ISO 4217 code, as the runtime's ICU data knows them (upper case only). */
export const isCurrency = (code: string): boolean => CURRENCIES.has(code)

/** The exact total, or undefined when it would not fit a JSON number exactly (above Number.MAX_SAFE_INTEGER). */
export function orderTotal (items: OrderItem[]): number | undefined {
  const total = items.reduce((sum, item) => sum + BigInt(item.quantity) * BigInt(item.unitPrice), 0n)
  return total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : undefined
}

/** Identifies what was asked for, whatever the key order of the JSON it came in. */
export function requestFingerprint ({ items, currency }: OrderRequest): string {
  const canonical = JSON.stringify({ currency, items: items.map(({ sku, quantity, unitPrice }) => [sku, quantity, unitPrice]) })
  return createHash('sha256').update(canonical).digest('hex')
}
