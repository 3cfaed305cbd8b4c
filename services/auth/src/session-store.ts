import type { Queryable } from '@app/kit/db'

export interface NewSession {
  id: string
  userId: string
  createdAt: Date
  expiresAt: Date
  /** The proof of identity that started it (password, code, passkey). */
  authTime: Date
  /** The client's address as the gateway vouched for it, and its user agent. */
  ip?: string | undefined
  userAgent?: string | undefined
}

export interface NewRefreshToken {
  hash: string
  sessionId: string
  createdAt: Date
  /** The idle deadline, never later than the session's absolute expiry. */
  expiresAt: Date
}

export interface StoredRefreshToken {
  hash: string
  sessionId: string
  userId: string
  usedAt: Date | null
  expiresAt: Date
  sessionExpiresAt: Date
  sessionRevokedAt: Date | null
  /** The session's last proof of identity; null for sessions started before it was recorded. */
  authTime: Date | null
}

export interface Session {
  id: string
  userId: string
  revokedAt: Date | null
  expiresAt: Date
  authTime: Date | null
}

/** What the user is shown of one of their sessions. */
export interface SessionDetails {
  id: string
  createdAt: Date
  lastUsedAt: Date
  ip: string | null
  userAgent: string | null
}

export interface Revocation {
  sessionId: string
  revokedAt: Date
}

/** Where a page of revocations ends: rows come in `(revokedAt, sessionId)` order, the next page starts after this one. */
export interface RevocationCursor {
  revokedAt: Date
  sessionId: string
}

/** Sessions (refresh-token families) and their refresh tokens. Finders return `undefined` when absent. */
export interface SessionScope {
  except?: string | null
  startedBefore?: Date
}

export interface SessionStore {
  insertSession(session: NewSession, q?: Queryable): Promise<void>
  insertRefreshToken(token: NewRefreshToken, q?: Queryable): Promise<void>
  /** The token with its session, by the token's sha256 hex. */
  findRefreshToken(hash: string, q?: Queryable): Promise<StoredRefreshToken | undefined>
  /**
   * Marks an unused token used; true for exactly one caller however many race,
   * because the update is conditional on `used_at is null`.
   */
  claimRefreshToken(hash: string, at: Date, q?: Queryable): Promise<boolean>
  /**
   * Marks a spent token re-issued (its one new pair within the reuse interval); true for exactly
   * one caller, ever, because the update is conditional on `reissued_at is null`.
   */
  claimRefreshReissue(hash: string, at: Date, q?: Queryable): Promise<boolean>
  touchSession(id: string, at: Date, q?: Queryable): Promise<void>
  /**
   * A new session with its first refresh token, as one statement for `emitWith` (the session,
   * its token and the login's event commit together in one round trip).
   */
  startStatement(session: NewSession, token: NewRefreshToken): { statement: (outboxCte: string) => string, params: unknown[] }
  /**
   * A rotation in one statement: claims the presented token (`first`: unused, as `claimRefreshToken`;
   * `reissue`: spent, its one re-issue, as `claimRefreshReissue`) and, only when that claim wins,
   * stores the next token of its session and touches the session. True when the claim won.
   */
  rotateRefreshToken(presented: { hash: string, at: Date, claim: 'first' | 'reissue' }, next: NewRefreshToken, q?: Queryable): Promise<boolean>
  findSession(id: string, q?: Queryable): Promise<Session | undefined>
  /**
   * The user's session when still active at `at`, share-locked until `q`'s transaction ends: its ending (an
   * update) waits for that transaction, and one committed first is seen (undefined). Lockers do not wait for each other.
   */
  lockActiveSession(id: string, userId: string, at: Date, q: Queryable): Promise<{ expiresAt: Date } | undefined>
  /** True when this call ended the session (false when it was already revoked or does not exist). */
  revokeSession(id: string, at: Date, reason: string, q?: Queryable): Promise<boolean>
  /**
   * Ends every active session of the user (but `scope.except`, and only those started before `scope.startedBefore`); the ids it ended.
   * One that a transaction holding a session of the user (`lockActiveSession`) started is ended as well. `q` must be a
   * transaction (or absent: it opens one), as its locks hold until the end of one.
   */
  revokeUserSessions(userId: string, at: Date, reason: string, q?: Queryable, scope?: SessionScope): Promise<string[]>
  /** Sessions that can still be refreshed at `at`, most recently used first. */
  activeSessions(userId: string, at: Date, q?: Queryable): Promise<SessionDetails[]>
  /** Records a fresh proof of identity for the session. */
  setAuthTime(id: string, at: Date, q?: Queryable): Promise<void>
  /**
   * Deletes every session of the user with its refresh tokens, keeping only
   * the ids and revocation times of ended ones for the revocation feed.
   */
  eraseUserSessions(userId: string, q?: Queryable): Promise<number>
  /**
   * Sessions ended from `since` to `until` (both included), in `(revokedAt, sessionId)` order, at most `limit`.
   * With `after`, only those after that row in this order (keyset paging: many sessions may share one time).
   */
  revocationsBetween(since: Date, until: Date, limit: number, after?: RevocationCursor): Promise<Revocation[]>
}
