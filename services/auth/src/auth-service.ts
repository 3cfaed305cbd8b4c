import { createHash, randomUUID } from 'node:crypto'
import type { Db, Tx } from '@app/kit/db'
import { hasErrorCode, KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { AuthErrors } from './errors.ts'
import { normalizeIdentifier } from './login-throttle.ts'
import type { LoginThrottle } from './login-throttle.ts'
import type { SessionScope, SessionStore, StoredRefreshToken } from './session-store.ts'
import { hashToken, newRefreshToken } from './tokens.ts'
import type { AccessTokens } from './tokens.ts'
import type { CredentialsInput, UserClient, UserSummary } from './user-client.ts'
import type { MfaChallenge } from './mfa.ts'

export interface AuthServiceDeps {
  db: Db
  store: SessionStore
  events: EventEmitter
  users: UserClient
  tokens: AccessTokens
  throttle: LoginThrottle
  now: () => Date
  refreshIdleTtlSeconds: number
  refreshAbsoluteTtlSeconds: number
  /** After a correct password: the second step to take, or undefined when the user has none. */
  secondFactor?: (user: UserSummary) => Promise<MfaChallenge | undefined>
}

export interface TokenPair {
  accessToken: string
  refreshToken: string
  tokenType: 'Bearer'
  expiresIn: number
}

export type LoginMethod = 'password' | 'phone_otp' | 'mfa'

export type Validation = { valid: false } | { valid: true, sub: string, exp: number, roles: string[] }

const addSeconds = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000)
const earlier = (a: Date, b: Date) => (a < b ? a : b)

export function createAuthService (deps: AuthServiceDeps) {
  const { db, store, events, users, tokens, throttle, now } = deps
  const refreshExpiry = (at: Date, sessionExpiresAt: Date) => earlier(addSeconds(at, deps.refreshIdleTtlSeconds), sessionExpiresAt)

  // Signed before the transaction: on PGlite a query outside the open transaction would wait for it.
  async function pair (user: UserSummary, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const accessToken = await tokens.sign({ sub: user.id, sid: sessionId, roles: user.roles })
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: tokens.ttlSeconds }
  }

  async function startSession (user: UserSummary, method: LoginMethod = 'password'): Promise<TokenPair> {
    const at = now()
    const sessionId = randomUUID()
    const expiresAt = addSeconds(at, deps.refreshAbsoluteTtlSeconds)
    const result = await pair(user, sessionId, newRefreshToken())
    await db.tx(async (tx) => {
      await store.insertSession({ id: sessionId, userId: user.id, createdAt: at, expiresAt }, tx)
      await store.insertRefreshToken({ hash: hashToken(result.refreshToken), sessionId, createdAt: at, expiresAt: refreshExpiry(at, expiresAt) }, tx)
      await events.emit(tx, 'auth.login_succeeded', { userId: user.id, sessionId, method }, user.id)
    })
    return result
  }

  async function reuseDetected (token: StoredRefreshToken): Promise<never> {
    await db.tx(async (tx) => {
      const ended = await store.revokeSession(token.sessionId, now(), 'token_reused', tx)
      await events.emit(tx, 'auth.token_reuse_detected', { userId: token.userId, sessionId: token.sessionId, sessionEnded: ended }, token.userId)
    })
    throw AuthErrors.token_reused('This refresh token was already used; the session has been ended')
  }

  async function currentUser (id: string, requestId?: string): Promise<UserSummary> {
    try {
      return await users.getUser(id, requestId)
    } catch (err) {
      if (hasErrorCode(err, 'user_not_found')) throw KitErrors.unauthorized('The account no longer exists')
      throw err
    }
  }

  async function rejectFailedLogin (err: unknown, key: string, identifier: string): Promise<never> {
    if (hasErrorCode(err, 'invalid_credentials')) {
      const identifierHash = createHash('sha256').update(identifier).digest('hex')
      await db.tx(tx => events.emit(tx, 'auth.login_failed', { method: 'password', reason: 'invalid_credentials', identifierHash }))
    } else {
      await throttle.refund(key)
    }
    throw err
  }

  /** Signature, type, issuer, audience and expiry, and a session that has not ended. */
  async function validate (token: string): Promise<Validation> {
    const claims = await tokens.verify(token)
    if (!claims) return { valid: false }
    const session = await store.findSession(claims.sid)
    if (!session || session.revokedAt || session.userId !== claims.sub) return { valid: false }
    return { valid: true, sub: claims.sub, exp: claims.exp, roles: claims.roles }
  }

  return {
    /** The upstream 401 `invalid_credentials` passes through unchanged: one answer for unknown users and wrong passwords. */
    async login (input: CredentialsInput, requestId?: string): Promise<TokenPair | MfaChallenge> {
      if ((input.email === undefined) === (input.phone === undefined)) {
        throw KitErrors.validation_failed({ detail: 'exactly one of email or phone is required', errors: [{ path: '/body/email', message: 'or phone is required, not both' }] })
      }
      const identifier = normalizeIdentifier(input)
      const key = throttle.keyOf(identifier)
      await throttle.admit(key)
      let user: UserSummary
      try {
        user = await users.verifyCredentials(input, requestId)
      } catch (err) {
        return rejectFailedLogin(err, key, identifier)
      }
      await throttle.reset(key)
      return await deps.secondFactor?.(user) ?? startSession(user)
    },

    async refresh (refreshToken: string, requestId?: string): Promise<TokenPair> {
      const hash = hashToken(refreshToken)
      const found = await store.findRefreshToken(hash)
      if (!found) throw KitErrors.unauthorized('The refresh token is not valid')
      if (found.usedAt) return reuseDetected(found)
      if (found.sessionRevokedAt) throw KitErrors.unauthorized('The session has ended')
      const at = now()
      if (found.sessionExpiresAt <= at || found.expiresAt <= at) throw AuthErrors.token_expired('The session has expired; log in again')
      const result = await pair(await currentUser(found.userId, requestId), found.sessionId, newRefreshToken())
      const claimed = await db.tx(async (tx) => {
        // Two refreshes racing with one token: the conditional update lets exactly one win.
        // The loser is indistinguishable from an attacker replaying a stolen copy, so it is
        // treated as reuse and the whole family is revoked (the standard, fail-safe answer:
        // the legitimate client logs in again).
        if (!await store.claimRefreshToken(hash, at, tx)) return false
        await store.insertRefreshToken({ hash: hashToken(result.refreshToken), sessionId: found.sessionId, createdAt: at, expiresAt: refreshExpiry(at, found.sessionExpiresAt) }, tx)
        await store.touchSession(found.sessionId, at, tx)
        return true
      })
      if (!claimed) return reuseDetected(found)
      return result
    },

    validate,
    startSession,

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
        if (ids.length > 0) await events.emit(t, 'auth.logged_out', { userId, sessionIds: ids, scope: scope.except ? 'others' : 'all', reason }, userId)
        return ids
      }
      return tx ? await run(tx) : await db.tx(run)
    },

    /** Ends every session of the bearer's user; 401 for a missing, invalid or revoked access token. */
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
