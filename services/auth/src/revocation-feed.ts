import type { SessionStore } from './session-store.ts'

export interface RevocationFeedOptions {
  store: SessionStore
  now: () => Date
  /** An access token lives this long: an older revocation no longer matters to anyone. */
  accessTtlSeconds: number
}

export interface RevocationPage {
  /** Ask again with `since` a little before this (the reader's overlap covers commits still in flight). */
  until: string
  /** How far back a reader without a cursor must look. */
  windowSeconds: number
  sessions: Array<{ id: string, revokedAt: string }>
  /** More rows were due than one page holds: ask again at once, from `until`. */
  more: boolean
}

const PAGE = 5000
// Clock differences between auth instances and the gateway.
const SKEW_SECONDS = 60

/**
 * Sessions ended recently, read from PostgreSQL, the source of truth: the
 * gateway keeps its own list from this feed, so a logged-out token is refused
 * whether or not Redis is up, and whatever Redis may have evicted.
 */
export function createRevocationFeed ({ store, now, accessTtlSeconds }: RevocationFeedOptions) {
  const windowSeconds = accessTtlSeconds + SKEW_SECONDS
  return {
    async since (since: Date | undefined): Promise<RevocationPage> {
      const until = now()
      const oldest = new Date(until.getTime() - windowSeconds * 1000)
      const from = since && since > oldest ? since : oldest
      const rows = await store.revocationsBetween(from, until, PAGE)
      const more = rows.length === PAGE
      return {
        until: (more ? rows[rows.length - 1]!.revokedAt : until).toISOString(),
        windowSeconds,
        sessions: rows.map(r => ({ id: r.sessionId, revokedAt: r.revokedAt.toISOString() })),
        more
      }
    }
  }
}

export type RevocationFeed = ReturnType<typeof createRevocationFeed>
