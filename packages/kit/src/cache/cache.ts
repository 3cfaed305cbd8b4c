/** One step of `admitInOrder`. */
export interface AdmitStep {
  key: string
  /** `count`: adds 1, refused past `limit`; `once`: stores a marker only when absent, refused when present (a cooldown). */
  kind: 'count' | 'once'
  /** Set when the step creates the key, never extended, as `incr` does. */
  ttlSeconds: number
  /** For `count`: the highest value let through. */
  limit?: number
}

/** The step that refused (its index in the list) and the seconds left on its key. */
export interface AdmitRefusal {
  index: number
  ttlSeconds: number | undefined
}

/**
 * A shared key-value cache with expiry. TTLs are in seconds. The cache is never
 * the source of truth: every read path must work on a miss.
 * `setIfAbsent`, `incr` and `getAndDelete` are atomic across instances on Redis.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory'
  /** The stored value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>
  /** Stores `value`, replacing any previous one; without a TTL it never expires. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>
  /** Stores `value` only when the key is absent; true when it was stored. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>
  /** Removes the key; true when it existed. */
  delete(key: string): Promise<boolean>
  /** Removes and returns the value in one step (a value can be taken once). */
  getAndDelete(key: string): Promise<string | undefined>
  /** Adds 1 (or `by`) and returns the new value; the TTL is set when the key is created and not extended by later increments. */
  incr(key: string, ttlSeconds: number, by?: number): Promise<number>
  /**
   * Rate-limit steps taken in order, as one atomic operation (one round trip on Redis): each
   * step counts or marks its key until one refuses; that step's change stays, later steps are
   * not taken. Undefined when every step passed.
   */
  admitInOrder(steps: readonly AdmitStep[]): Promise<AdmitRefusal | undefined>
  /** Seconds until the key expires; `undefined` when absent, `-1` when it has no expiry. */
  ttl(key: string): Promise<number | undefined>
  ping(): Promise<void>
  close(): Promise<void>
}
