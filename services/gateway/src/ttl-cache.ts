export interface TtlCache<V> {
  /** The value, unless absent or expired. */
  get(key: string): V | undefined
  /** Stores until `expiresAt` (epoch ms); the least recently used entry goes when the cache is full. */
  set(key: string, value: V, expiresAt: number): void
}

/** A small in-process cache, bounded in entries and in time. */
export function createTtlCache<V> (maxEntries: number, now: () => number = Date.now): TtlCache<V> {
  const entries = new Map<string, { value: V, expiresAt: number }>()
  return {
    get (key) {
      const entry = entries.get(key)
      if (!entry) return undefined
      entries.delete(key)
      if (entry.expiresAt <= now()) return undefined
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
      entries.set(key, entry)
      return entry.value
    },
    set (key, value, expiresAt) {
      entries.delete(key)
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!)
      entries.set(key, { value, expiresAt })
    }
  }
}
