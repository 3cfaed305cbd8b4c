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
  /** Seconds until the key expires; `undefined` when absent, `-1` when it has no expiry. */
  ttl(key: string): Promise<number | undefined>
  ping(): Promise<void>
  close(): Promise<void>
}
