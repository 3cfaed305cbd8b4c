import type { RevocationCursor, SessionStore } from './session-store.ts'

export interface RevocationFeedOptions {
  store: SessionStore
  now: () => Date
  /** An access token lives this long: an older revocation no longer matters to anyone. */
  accessTtlSeconds: number
  /** Rows per page (5000); tests make it small. */
  pageSize?: number
}

export interface RevocationPage {
  /** Ask again with `since` a little before this (the reader's overlap covers commits still in flight). */
  until: string
  /** How far back a reader without a cursor must look. */
  windowSeconds: number
  sessions: Array<{ id: string, revokedAt: string }>
  /**
   * More rows were due than one page holds: ask again at once with `since` = `until` (the last
   * row's time) and `afterId` = `lastId` (the last row's id), without any overlap.
   */
  more: boolean
  /** With `more`: the id of the last row, the second half of the cursor (many sessions can end at one instant). */
  lastId?: string
}

const PAGE = 5000
// Clock differences between auth instances and the gateway.
const SKEW_SECONDS = 60

/**
 * Sessions ended recently, read from PostgreSQL, the source of truth: the
 * gateway keeps its own list from this feed, so a logged-out token is refused
 * whether or not Redis is up, and whatever Redis may have evicted. Pages are
 * keyed by `(revokedAt, id)`, so a run of sessions ended at one instant longer
 * than a page is still read to its end.
 */
export function createRevocationFeed ({ store, now, accessTtlSeconds, pageSize = PAGE }: RevocationFeedOptions) {
  const windowSeconds = accessTtlSeconds + SKEW_SECONDS
  return {
    /** From `since` (included), or, with `afterId`, after the row `(since, afterId)`. */
    async since (since: Date | undefined, afterId?: string): Promise<RevocationPage> {
      const until = now()
      const oldest = new Date(until.getTime() - windowSeconds * 1000)
      // A cursor older than the window would reread what no longer matters: start the window afresh.
      const after: RevocationCursor | undefined = since && afterId !== undefined && since >= oldest ? { revokedAt: since, sessionId: afterId } : undefined
      const from = since && since > oldest ? since : oldest
      const rows = await store.revocationsBetween(from, until, pageSize, after)
      const more = rows.length === pageSize
      const last = rows[rows.length - 1]
      return {
        until: (more ? last!.revokedAt : until).toISOString(),
        windowSeconds,
        sessions: rows.map(r => ({ id: r.sessionId, revokedAt: r.revokedAt.toISOString() })),
        more,
        ...(more ? { lastId: last!.sessionId } : {})
      }
    }
  }
}

export type RevocationFeed = ReturnType<typeof createRevocationFeed>
