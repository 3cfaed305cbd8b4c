export type Counted = { current: number, ttl: number }

/**
 * Adds `by` to the shared count of `key` (a fixed window of `windowMs`, started
 * by the first addition); resolves with the count after it and the window's
 * remaining milliseconds.
 */
export type Reserve = (key: string, windowMs: number, by: number) => Promise<[number, number]>

export interface SharedCounter {
  /**
   * Counts one request under `key`. `current` is its place in the shared count
   * of the window: above `max` means refused. Rejects when the shared count
   * cannot be reached.
   */
  incr(key: string, windowMs: number, max: number): Promise<Counted>
}

interface Lease {
  resetAt: number
  /** The shared count up to the last place this instance holds. */
  counted: number
  /** Places reserved in the shared count and not used yet. */
  unused: number
  chunk: number
  pending: Promise<unknown> | undefined
}

const MAX_CHUNK = 64
// Places held for one instance and then not used (the client went to another
// instance) make the limit that much stricter: at most a 32nd of it each.
const CHUNK_SHARE = 32
const MAX_KEYS = 50_000

/** How many places one reservation may take for a limit of `max`: 1 below 64, so small limits are counted one by one. */
export function chunkLimit (max: number): number {
  return Math.max(1, Math.min(MAX_CHUNK, Math.floor(max / CHUNK_SHARE)))
}

/**
 * A shared count that a busy key does not ask for on every request: each
 * instance reserves places in it (1, then 2, 4, … up to `chunkLimit(max)`) and
 * hands them out locally. A place is only used if its number is within the
 * limit, so all instances together never let more than `max` requests through;
 * the cost is that places one instance holds and never uses count against the
 * client elsewhere. Once the shared count is past the limit, the rest of the
 * window is refused here, without asking again.
 */
export function createSharedCounter (reserve: Reserve, now: () => number = Date.now): SharedCounter {
  const leases = new Map<string, Lease>()

  const sweep = () => {
    const t = now()
    for (const [key, lease] of leases) if (lease.resetAt <= t && !lease.pending) leases.delete(key)
    for (const key of leases.keys()) {
      if (leases.size < MAX_KEYS) break
      leases.delete(key)
    }
  }

  async function take (key: string, windowMs: number, max: number, lease: Lease): Promise<Counted> {
    const chunk = Math.min(lease.chunk === 0 ? 1 : lease.chunk * 2, chunkLimit(max))
    const reservation = reserve(key, windowMs, chunk)
    lease.pending = reservation
    try {
      const [total, ttl] = await reservation
      const before = total - chunk
      const granted = Math.max(0, Math.min(chunk, max - before))
      Object.assign(lease, { chunk, resetAt: now() + ttl, counted: before + granted, unused: Math.max(0, granted - 1) })
      return { current: before + 1, ttl }
    } finally {
      lease.pending = undefined
    }
  }

  return {
    async incr (key, windowMs, max) {
      for (;;) {
        let lease = leases.get(key)
        // Another request of this key is reserving: share its places rather than reserve more.
        if (lease?.pending) {
          await lease.pending
          continue
        }
        const t = now()
        if (!lease || lease.resetAt <= t) {
          if (!lease && leases.size >= MAX_KEYS) sweep()
          lease = { resetAt: 0, counted: 0, unused: 0, chunk: 0, pending: undefined }
          leases.set(key, lease)
        } else if (lease.unused > 0) {
          lease.unused--
          return { current: lease.counted - lease.unused, ttl: lease.resetAt - t }
        } else if (lease.counted >= max) {
          return { current: lease.counted + 1, ttl: lease.resetAt - t }
        }
        return take(key, windowMs, max, lease)
      }
    }
  }
}
