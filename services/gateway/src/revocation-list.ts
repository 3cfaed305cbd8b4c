import { KitErrors } from '@app/kit/errors'

/** One page of the auth service's `GET /internal/auth/revocations`. */
export interface RevocationPage {
  until: string
  windowSeconds: number
  sessions: Array<{ id: string, revokedAt: string }>
  more: boolean
  /** With `more`: the last row's id; the next page is asked for after (`until`, `lastId`). */
  lastId?: string
}

export interface RevocationListOptions {
  /**
   * Asks an auth instance for the sessions ended since `since` (all recent ones when undefined),
   * or, with `afterId` (continuing a page that had `more`), after the row (`since`, `afterId`):
   * pass both on as the route's `since` and `afterId` query parameters.
   */
  fetchPage: (since: string | undefined, afterId?: string) => Promise<RevocationPage>
  /** How often the list is brought up to date, in milliseconds. */
  pollMs: number
  /** Reread this far back each time: a revocation committed late but stamped earlier is still seen. */
  overlapMs?: number
  /** After this long without a successful read, readiness says `degraded`. */
  staleAfterMs?: number
  /**
   * After this long without a successful read, the list no longer vouches for
   * any session: authenticated requests get 503 with `Retry-After` (fail
   * closed) until a read succeeds again. Anonymous requests are not affected.
   */
  failClosedAfterMs?: number
  warn(obj: object, msg: string): void
  now?: () => number
}

export interface RevocationList {
  /** True for a session ended within an access token's life; 503 until the list was read once, and while it is older than `failClosedAfterMs`. */
  isRevoked(sessionId: string): boolean
  /** Reads what changed since the last read (every page of it). */
  sync(): Promise<void>
  start(): void
  stop(): void
  /** `ok`, or `degraded` when never read or not read for a while (tokens of sessions ended since may pass). */
  status(): 'ok' | 'degraded'
}

const OVERLAP_MS = 15_000
const STALE_AFTER_MS = 10_000
const FAIL_CLOSED_AFTER_MS = 10_000

/**
 * The gateway's own copy of the recently ended sessions, read from the auth
 * service (PostgreSQL behind it) every `pollMs`: a logged-out access token is
 * refused within about that long, whether Redis is up, down, or evicted the
 * key. Entries older than an access token's life are dropped.
 */
export function createRevocationList (options: RevocationListOptions): RevocationList {
  const now = options.now ?? Date.now
  const overlapMs = options.overlapMs ?? OVERLAP_MS
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS
  const failClosedAfterMs = options.failClosedAfterMs ?? FAIL_CLOSED_AFTER_MS
  const retryAfterSeconds = String(Math.max(1, Math.ceil(options.pollMs / 1000)))
  const revokedAt = new Map<string, number>()
  let cursor: string | undefined
  let lastSyncAt: number | undefined
  let running: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined

  function prune (until: number, windowSeconds: number): void {
    const oldest = until - windowSeconds * 1000
    for (const [sid, at] of revokedAt) if (at < oldest) revokedAt.delete(sid)
  }

  async function readAll (): Promise<void> {
    // A new read starts a little before the last one ended, to see revocations committed late.
    let since = cursor === undefined ? undefined : new Date(Date.parse(cursor) - overlapMs).toISOString()
    let afterId: string | undefined
    for (;;) {
      const page = afterId === undefined ? await options.fetchPage(since) : await options.fetchPage(since, afterId)
      for (const { id, revokedAt: at } of page.sessions) revokedAt.set(id, Date.parse(at))
      if (!page.more) {
        cursor = page.until
        prune(Date.parse(page.until), page.windowSeconds)
        lastSyncAt = now()
        return
      }
      // A full page continues right after its last row, by time and id: many sessions ended at
      // one instant span pages, and asking again from that instant alone would read the same page forever.
      if (page.lastId === undefined) {
        // An auth instance without the id cursor (mid-deploy): from the last row's time, included,
        // which moves on unless a whole page ended at one instant.
        if (page.until === since) throw new Error('revocation page full of one instant, and no id to continue after')
        since = page.until
        afterId = undefined
      } else {
        since = page.until
        afterId = page.lastId
      }
    }
  }

  function sync (): Promise<void> {
    running ??= readAll().finally(() => { running = undefined })
    return running
  }

  return {
    isRevoked (sessionId) {
      if (lastSyncAt === undefined) {
        throw KitErrors.unavailable({ detail: 'Ended sessions cannot be checked yet; try again shortly', headers: { 'retry-after': retryAfterSeconds } })
      }
      // A token of a session ended since the last read would pass: past this age, none passes.
      if (now() - lastSyncAt > failClosedAfterMs) {
        throw KitErrors.unavailable({ detail: 'Ended sessions cannot be checked right now; try again shortly', headers: { 'retry-after': retryAfterSeconds } })
      }
      return revokedAt.has(sessionId)
    },
    sync,
    start () {
      if (timer) return
      timer = setInterval(() => {
        sync().catch((err: unknown) => options.warn({ err }, 'revocation list not updated; the last one stays in force'))
      }, options.pollMs)
      timer.unref()
    },
    stop () {
      clearInterval(timer)
      timer = undefined
    },
    status () {
      return lastSyncAt !== undefined && now() - lastSyncAt <= staleAfterMs ? 'ok' : 'degraded'
    }
  }
}
