/**
 * Each stateful service's share of DB_CONNECTION_BUDGET, by how much database
 * work it does: user and auth on every login, the notification worker claims
 * batches, order and otp write on every request. audit serialises its inserts
 * on a lock, so more connections would only wait.
 */
export const POOL_WEIGHTS: Readonly<Record<string, number>> = {
  user: 3,
  auth: 3,
  notification: 2,
  order: 2,
  otp: 2,
  audit: 1,
  password: 1,
  'email-verification': 1
}

/** A transaction and the outbox relay or a consumer at the same time. */
export const MIN_POOL_SIZE = 2
export const MAX_POOL_SIZE = 200

export interface PoolSizeInput {
  service: string
  /** Connections every instance of every service may hold together. */
  budget: number
  /** Instances of this service that run at once, surge pods of a rolling update included. */
  instances: number
  /** DB_POOL_SIZE when set: it wins. */
  explicit?: number | undefined
}

const TOTAL_WEIGHT = Object.values(POOL_WEIGHTS).reduce((sum, w) => sum + w, 0)

/** Pool size of one instance: floor(budget × weight / (total weight × instances)), at least MIN_POOL_SIZE. */
export function poolSize ({ service, budget, instances, explicit }: PoolSizeInput): number {
  if (explicit !== undefined) return explicit
  const weight = POOL_WEIGHTS[service] ?? 1
  const share = Math.floor(budget * weight / (TOTAL_WEIGHT * instances))
  return Math.min(MAX_POOL_SIZE, Math.max(MIN_POOL_SIZE, share))
}
