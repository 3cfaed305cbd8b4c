import { decisionFor } from './rate-limit-bucket.ts'
import type { BucketRule, Decision, Taken } from './rate-limit-bucket.ts'

/**
 * Takes up to `want` tokens from the shared bucket of `id` at time `now`
 * (the caller's clock); rejects when the shared bucket cannot be reached.
 */
export type Reserve = (id: string, want: number, now: number) => Promise<Taken>

interface Lease {
  /** Tokens taken from the shared bucket and not spent yet. */
  unused: number
  /** Unused tokens are dropped after this (ms). */
  expiresAt: number
  /** The shared bucket's tokens right after the last reservation, and when. */
  left: number
  leftAt: number
  /** The shared bucket has no whole token before this (ms): refuse without asking. */
  deniedUntil: number
  /** Tokens asked for by the last reservation. */
  chunk: number
  pending: Promise<unknown> | undefined
}

/** How long leased tokens may wait to be spent: bounds how far all instances together can exceed the rate. */
export const LEASE_MS = 1000
const MAX_CHUNK = 64
// Tokens one instance holds and then does not spend (the client went to
// another instance) make the limit that much stricter: at most a 32nd of the burst.
const CHUNK_SHARE = 32
const MAX_KEYS = 50_000

/** How many tokens one reservation may take for a bucket of `burst`: 1 below 64, so small buckets are spent one by one. */
export function chunkLimit (burst: number): number {
  return Math.max(1, Math.min(MAX_CHUNK, Math.floor(burst / CHUNK_SHARE)))
}

/**
 * A shared token bucket that a busy key does not ask for on every request:
 * this instance takes tokens from it a few at a time (1, then 2, 4, … up to
 * `chunkLimit(burst)` while they are spent within `LEASE_MS`, fewer again
 * when some were not) and spends them
 * locally, synchronously. Every token spent came out of the shared bucket, so
 * all instances together never exceed it by more than the tokens leased in
 * the last `LEASE_MS`; tokens an instance leases and never spends count
 * against the client elsewhere. Once the shared bucket is empty, requests are
 * refused here without asking again until it holds a token.
 */
export function createLeases (rule: BucketRule, reserve: Reserve, now: () => number = Date.now) {
  const leases = new Map<string, Lease>()
  const maxChunk = chunkLimit(rule.burst)
  const ratePerMs = rule.ratePerSecond / 1000

  const sweep = (t: number) => {
    for (const [id, lease] of leases) if (lease.expiresAt <= t && lease.deniedUntil <= t && !lease.pending) leases.delete(id)
    for (const [id, lease] of leases) {
      if (leases.size < MAX_KEYS) break
      if (!lease.pending) leases.delete(id)
    }
  }

  // The shared bucket as this instance last saw it, refilled since, plus what it holds itself.
  const spent = (lease: Lease, t: number): Decision =>
    decisionFor(rule, true, lease.unused + Math.min(rule.burst, lease.left + (t - lease.leftAt) * ratePerMs), 0)

  const refused = (lease: Lease, t: number): Decision =>
    decisionFor(rule, false, lease.left + (t - lease.leftAt) * ratePerMs, lease.deniedUntil - t)

  async function renew (id: string, lease: Lease, t: number): Promise<Decision> {
    // Sized to the key's pace: twice as many when the last ones were all spent
    // in time, half as many when some were dropped unspent.
    let want = Math.max(1, lease.chunk)
    if (lease.expiresAt > t) want = Math.min(maxChunk, lease.chunk * 2)
    else if (lease.unused > 0) want = Math.max(1, Math.floor(lease.chunk / 2))
    const reservation = reserve(id, want, t)
    lease.pending = reservation
    let taken: Taken
    try {
      taken = await reservation
    } finally {
      lease.pending = undefined
    }
    Object.assign(lease, {
      chunk: want,
      left: taken.tokens,
      leftAt: t,
      expiresAt: t + LEASE_MS,
      unused: Math.max(0, taken.granted - 1),
      deniedUntil: taken.granted === 0 ? t + taken.waitMs : 0
    })
    return taken.granted === 0 ? refused(lease, t) : spent(lease, t)
  }

  function take (id: string): Decision | Promise<Decision> {
    const t = now()
    let lease = leases.get(id)
    if (!lease) {
      if (leases.size >= MAX_KEYS) sweep(t)
      lease = { unused: 0, expiresAt: 0, left: rule.burst, leftAt: t, deniedUntil: 0, chunk: 0, pending: undefined }
      leases.set(id, lease)
    }
    // Another request of this key is reserving: share its tokens rather than reserve more.
    if (lease.pending) return lease.pending.then(() => take(id))
    if (lease.deniedUntil > t) return refused(lease, t)
    if (lease.unused > 0 && lease.expiresAt > t) {
      lease.unused--
      return spent(lease, t)
    }
    return renew(id, lease, t)
  }

  return { take }
}
