import { randomUUID } from 'node:crypto'
import type { Db, Queryable, Tx } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { AuthErrors } from './errors.ts'
import { createPasswordLogin } from './password-login.ts'
import type { LoginClients } from './password-login.ts'
import type { SessionScope, SessionStore, StoredRefreshToken } from './session-store.ts'
import { emitSessionsEnded, isSessionEndReason } from './sessions.ts'
import { hashToken, newRefreshToken } from './tokens.ts'
import type { AccessTokens } from './tokens.ts'
import { existingUser } from './user-client.ts'
import type { UserClient, UserSummary } from './user-client.ts'
import type { MfaChallenge } from './mfa.ts'

export interface AuthServiceDeps {
  db: Db
  store: SessionStore
  events: EventEmitter
  users: UserClient
  tokens: AccessTokens
  /** The login throttle, and where each login identifier was used from successfully (a known client is not held back by strangers' failures). */
  loginClients: LoginClients
  now: () => Date
  refreshIdleTtlSeconds: number
  refreshAbsoluteTtlSeconds: number
  /** A spent refresh token presented again this soon gets a new pair of its session instead of ending it. */
  refreshReuseIntervalSeconds: number
  /** After a correct password: the second step to take, or undefined when the user has none. */
  secondFactor?: (user: UserSummary) => Promise<MfaChallenge | undefined>
}

export interface TokenPair {
  accessToken: string
  refreshToken: string
  tokenType: 'Bearer'
  expiresIn: number
}

export type LoginMethod = 'password' | 'phone_otp' | 'mfa' | 'passkey' | 'magic_link' | 'oidc' | 'handoff'

/** Where a login came from, recorded on the session and in `auth.login_succeeded`. */
export interface SessionContext {
  ip?: string | undefined
  userAgent?: string | undefined
  /** The login throttle's verdict: this client never logged in to the account before. */
  newDevice?: boolean | undefined
  /** A session that stands on an earlier proof of identity (a handoff inherits its origin's): its `auth_time`, never later than now. */
  authTime?: Date | undefined
}

export type Validation = { valid: false } | { valid: true, sub: string, sid: string, exp: number, roles: string[], authTime: number }

// The user agent is shown to the user, not parsed: a bounded copy is enough.
const USER_AGENT_MAX = 512

const addSeconds = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000)
const earlier = (a: Date, b: Date) => (a < b ? a : b)

export function createAuthService (deps: AuthServiceDeps) {
  const { db, store, events, users, tokens, now } = deps
  const refreshExpiry = (at: Date, sessionExpiresAt: Date) => earlier(addSeconds(at, deps.refreshIdleTtlSeconds), sessionExpiresAt)

  // Signed before the transaction: on PGlite a query outside the open transaction would wait for it.
  async function pair (user: UserSummary, sessionId: string, refreshToken: string, authTime: Date): Promise<TokenPair> {
    const accessToken = await tokens.sign({ sub: user.id, sid: sessionId, roles: user.roles, authTime })
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: tokens.ttlSeconds }
  }

  /** A new session's id, times and token pair, signed before any transaction; refused for a disabled account. */
  async function prepareSession (user: UserSummary, context: SessionContext) {
    if (user.disabled) throw KitErrors.account_disabled('This account is disabled')
    const at = now()
    const sessionId = randomUUID()
    const authTime = context.authTime ? earlier(context.authTime, at) : at
    return { at, sessionId, authTime, result: await pair(user, sessionId, newRefreshToken(), authTime) }
  }

  /** Stores the session with its first refresh token and the login's event, ending no later than `notAfter`. */
  async function storeSession (q: Queryable, user: UserSummary, method: LoginMethod, context: SessionContext, prepared: Awaited<ReturnType<typeof prepareSession>>, notAfter?: Date): Promise<void> {
    const { at, sessionId, authTime, result } = prepared
    const lifetime = addSeconds(at, deps.refreshAbsoluteTtlSeconds)
    const expiresAt = notAfter ? earlier(lifetime, notAfter) : lifetime
    const userAgent = context.userAgent?.slice(0, USER_AGENT_MAX)
    const { statement, params } = store.startStatement(
      { id: sessionId, userId: user.id, createdAt: at, expiresAt, authTime, ip: context.ip, userAgent },
      { hash: hashToken(result.refreshToken), sessionId, createdAt: at, expiresAt: refreshExpiry(at, expiresAt) })
    await events.emitWith(q, statement, params, [{
      type: 'auth.login_succeeded',
      data: {
        userId: user.id,
        sessionId,
        method,
        newDevice: context.newDevice ?? false,
        ...(context.ip === undefined ? {} : { ip: context.ip }),
        ...(userAgent === undefined ? {} : { userAgent })
      },
      subject: user.id
    }])
  }

  /** After a password, code or passkey check: refused for a disabled account. */
  async function startSession (user: UserSummary, method: LoginMethod = 'password', context: SessionContext = {}): Promise<TokenPair> {
    const prepared = await prepareSession(user, context)
    await storeSession(db, user, method, context, prepared)
    return prepared.result
  }

  /**
   * A session standing on another of the user's (a handoff): started only while that one is active, and ending
   * no later than it; undefined when it has ended. The check and the insert are one transaction holding the
   * origin's row: an ending of the origin commits before (seen here) or waits until this session exists (and
   * ending all the user's sessions then ends it too).
   */
  async function startDerivedSession (user: UserSummary, originSessionId: string, method: LoginMethod, context: SessionContext = {}): Promise<TokenPair | undefined> {
    const prepared = await prepareSession(user, context)
    return await db.tx(async (tx) => {
      const origin = await store.lockActiveSession(originSessionId, user.id, prepared.at, tx)
      if (!origin) return undefined
      await storeSession(tx, user, method, context, prepared, origin.expiresAt)
      return prepared.result
    })
  }

  /** A new pair in an existing session: a rotation, a retry within the reuse interval, or a fresh proof of identity. */
  async function continueSession (token: Pick<StoredRefreshToken, 'sessionId' | 'sessionExpiresAt'>, tx: Tx, at: Date, result: TokenPair): Promise<void> {
    await store.insertRefreshToken({ hash: hashToken(result.refreshToken), sessionId: token.sessionId, createdAt: at, expiresAt: refreshExpiry(at, token.sessionExpiresAt) }, tx)
    await store.touchSession(token.sessionId, at, tx)
  }

  /** A disabled user's refresh: the session ends with the refusal. */
  async function refuseDisabled (token: StoredRefreshToken): Promise<never> {
    await db.tx(async (tx) => {
      if (await store.revokeSession(token.sessionId, now(), 'disabled', tx)) await emitSessionsEnded(events, tx, token.userId, [token.sessionId], 'disabled')
    })
    throw KitErrors.account_disabled('This account is disabled')
  }

  const withinReuseInterval = (usedAt: Date, at: Date) =>
    deps.refreshReuseIntervalSeconds > 0 && at.getTime() - usedAt.getTime() <= deps.refreshReuseIntervalSeconds * 1000

  async function refreshOnce (refreshToken: string, requestId: string | undefined, raced: boolean): Promise<TokenPair> {
    const hash = hashToken(refreshToken)
    const found = await store.findRefreshToken(hash)
    if (!found) throw KitErrors.unauthorized('The refresh token is not valid')
    const at = now()
    // Spent a moment ago (another tab, a retry of a lost answer): a pair of its own, same session.
    // Spent longer ago, it can only be a copy: the whole family ends.
    if (found.usedAt && !withinReuseInterval(found.usedAt, at)) return reuseDetected(found)
    if (found.sessionRevokedAt) throw KitErrors.unauthorized('The session has ended')
    if (found.sessionExpiresAt <= at || found.expiresAt <= at) throw AuthErrors.token_expired('The session has expired; log in again')
    const user = await existingUser(users, found.userId, requestId)
    if (user.disabled) return refuseDisabled(found)
    const result = await pair(user, found.sessionId, newRefreshToken(), found.authTime ?? new Date(0))
    // Unused: two refreshes racing with one token, the conditional claim lets exactly one spend it.
    // Spent: one new pair within the interval, not one per presentation, or whoever holds a copy
    // could keep the family alive by presenting it again and again.
    const next = { hash: hashToken(result.refreshToken), sessionId: found.sessionId, createdAt: at, expiresAt: refreshExpiry(at, found.sessionExpiresAt) }
    const claimed = await store.rotateRefreshToken({ hash, at, claim: found.usedAt ? 'reissue' : 'first' }, next)
    const outcome = claimed ? 'issued' : found.usedAt ? 'reused' : 'raced'
    if (outcome === 'issued') return result
    // The other request spent it just now: read it again, as spent, and answer within the interval.
    if (outcome === 'raced' && !raced && deps.refreshReuseIntervalSeconds > 0) return refreshOnce(refreshToken, requestId, true)
    return reuseDetected(found)
  }

  async function reuseDetected (token: StoredRefreshToken): Promise<never> {
    await db.tx(async (tx) => {
      const ended = await store.revokeSession(token.sessionId, now(), 'token_reused', tx)
      await events.emit(tx, 'auth.token_reuse_detected', { userId: token.userId, sessionId: token.sessionId, sessionEnded: ended }, token.userId)
    })
    throw AuthErrors.token_reused('This refresh token was already used; the session has been ended')
  }

  /** The one token check (as the gateway makes it), and a session that has not ended. */
  async function validate (token: string): Promise<Validation> {
    const claims = await tokens.verify(token)
    if (!claims) return { valid: false }
    const session = await store.findSession(claims.sid)
    if (!session || session.revokedAt || session.userId !== claims.sub) return { valid: false }
    return { valid: true, sub: claims.sub, sid: claims.sid, exp: claims.exp, roles: claims.roles, authTime: claims.authTime }
  }

  const passwordLogin = createPasswordLogin({ db, events, users, ...deps.loginClients, startSession, secondFactor: deps.secondFactor })

  return {
    /** Password login, throttled per identifier and client; answers the body and the client's device token. */
    login: passwordLogin.login,
    /** After a login's second step succeeded: makes the password step's client known; answers `{ newDevice }` for the session. */
    secondStepPassed: passwordLogin.secondStepPassed,

    /**
     * Rotates the refresh token. Presented again within the reuse interval,
     * a spent token gets a pair of its own (both answers work), once; any
     * further presentation, or one after the interval, revokes the family
     * (`token_reused`).
     */
    refresh: (refreshToken: string, requestId?: string): Promise<TokenPair> => refreshOnce(refreshToken, requestId, false),

    validate,
    startSession,
    startDerivedSession,

    /** Idempotent: an unknown or already-ended session is not an error. */
    async logout (refreshToken: string): Promise<void> {
      const found = await store.findRefreshToken(hashToken(refreshToken))
      if (!found) return
      await db.tx(async (tx) => {
        if (await store.revokeSession(found.sessionId, now(), 'logout', tx)) {
          await events.emit(tx, 'auth.logged_out', { userId: found.userId, sessionIds: [found.sessionId], scope: 'session' }, found.userId)
        }
      })
    },

    /**
     * Ends the user's sessions after a password change or reset (all, or all
     * but the caller's own). Idempotent: the password service calls it and the
     * `password.changed` consumer repeats it in case that call was lost.
     */
    async revokeSessions (userId: string, scope: SessionScope, reason: string, tx?: Tx): Promise<string[]> {
      const run = async (t: Tx) => {
        const ids = await store.revokeUserSessions(userId, now(), reason, t, scope)
        if (ids.length === 0) return ids
        // Ended by the account's state (disabled, deleted): one `auth.session_ended` each; by a password change: `auth.logged_out`.
        if (isSessionEndReason(reason)) await emitSessionsEnded(events, t, userId, ids, reason)
        else await events.emit(t, 'auth.logged_out', { userId, sessionIds: ids, scope: scope.except ? 'others' : 'all', reason }, userId)
        return ids
      }
      return tx ? await run(tx) : await db.tx(run)
    },

    /** Ends every session of the bearer's user; 401 for a missing, invalid or revoked access token. */
    /**
     * A fresh proof of identity for the caller's session (reauthentication): its
     * `auth_time` becomes now, and a new pair carries it. The session's other
     * refresh tokens stay valid (another tab keeps working).
     */
    async renewProof (user: UserSummary, sessionId: string): Promise<TokenPair> {
      if (user.disabled) throw KitErrors.account_disabled('This account is disabled')
      const session = await store.findSession(sessionId)
      const at = now()
      if (!session || session.revokedAt || session.userId !== user.id || session.expiresAt <= at) {
        throw KitErrors.unauthorized('The session has ended')
      }
      const result = await pair(user, sessionId, newRefreshToken(), at)
      await db.tx(async (tx) => {
        await store.setAuthTime(sessionId, at, tx)
        await continueSession({ sessionId, sessionExpiresAt: session.expiresAt }, tx, at, result)
      })
      return result
    },

    async logoutAll (accessToken: string | undefined): Promise<void> {
      const validation = accessToken ? await validate(accessToken) : { valid: false as const }
      if (!validation.valid) throw KitErrors.unauthorized('A valid access token is required')
      const userId = validation.sub
      await db.tx(async (tx) => {
        const ids = await store.revokeUserSessions(userId, now(), 'logout_all', tx)
        await events.emit(tx, 'auth.logged_out', { userId, sessionIds: ids, scope: 'all' }, userId)
      })
    }
  }
}

export type AuthService = ReturnType<typeof createAuthService>
