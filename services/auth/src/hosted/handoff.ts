import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import type { SessionContext, TokenPair } from '../auth-service.ts'
import type { RedirectAllowlist } from '../redirect-allowlist.ts'
import { existingUser } from '../user-client.ts'
import type { UserClient, UserSummary } from '../user-client.ts'
import { HostedErrors } from './errors.ts'
import type { HandoffStore } from './handoff-store.ts'

/** The app that gets the code spends it at once: a minute is plenty (as the codes of magic links and identity providers). */
export const HANDOFF_CODE_TTL_SECONDS = 60

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/** RFC 7636 S256: base64url (no padding) of the sha256 of the verifier. */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')

const ADMIN_ROLE = 'admin'

export interface HandoffDeps {
  db: Db
  store: HandoffStore
  events: EventEmitter
  users: Pick<UserClient, 'getUser'>
  allowlist: RedirectAllowlist
  now: () => Date
  /** Undefined when the origin session has ended (as `AuthService.startDerivedSession`). */
  startDerivedSession: (user: UserSummary, originSessionId: string, method: 'handoff', context?: SessionContext) => Promise<TokenPair | undefined>
  /** AUTH_HANDOFF_ALLOW_ADMIN: an administrator's sign-in may be handed to an app (off: 403 `handoff_admin_refused`). */
  allowAdmin: boolean
}

/** The hosted page's session asking for a code: as the gateway asserted it. */
export interface HandoffCaller {
  userId: string
  sessionId: string
  roles: string[]
  /** Its last proof of identity (unix seconds), recent enough for the route to get here. */
  authTime: number
}

const adminRefused = () => HostedErrors.handoff_admin_refused({
  detail: 'A sign-in with the admin role is not handed to an app on another origin (AUTH_HANDOFF_ALLOW_ADMIN is off); use the console itself'
})

/**
 * A sign-in on the hosted pages handed to an app on another origin: the
 * signed-in browser asks for a one-time code bound to an allowed `redirectTo`
 * and goes there with `?code=`; the app trades the code for a session of its
 * own (its own token pair, ended independently of the hosted pages' session).
 * No token ever travels in a URL. The app's session is never fresher than the
 * proof of identity the hosted page's session stands on (`auth_time` is
 * inherited), never outlives it, and a code stops working once that session
 * has ended.
 */
export function createHandoff (deps: HandoffDeps) {
  const { store, now } = deps

  /** Audited as `code_invalid` whatever the cause (the event names no more); the answer says which. */
  async function refuse (code: string, field: 'code' | 'codeVerifier', detail: string): Promise<never> {
    await deps.db.tx(tx => deps.events.emit(tx, 'auth.login_failed', { method: 'handoff', reason: 'code_invalid', identifierHash: sha256(`handoff:${sha256(code)}`) }))
    throw HostedErrors.handoff_code_invalid({ detail, errors: [{ path: `/body/${field}`, message: field === 'code' ? 'is not a valid sign-in code' : 'does not match the codeChallenge of the sign-in code' }] })
  }

  return {
    /**
     * The address to send the browser to: `redirectTo` (checked against the allow-list) with `code`. `codeChallenge`
     * (S256) binds the code to the app that holds its verifier.
     */
    async issue (caller: HandoffCaller, redirectTo: string, codeChallenge?: string): Promise<{ location: string, expiresIn: number }> {
      const target = new URL(deps.allowlist.check(redirectTo, '/body/redirectTo'))
      if (!deps.allowAdmin && caller.roles.includes(ADMIN_ROLE)) throw adminRefused()
      const code = randomBytes(32).toString('base64url')
      const at = now()
      const stored = await store.insert({
        codeHash: sha256(code),
        userId: caller.userId,
        sessionId: caller.sessionId,
        authTime: new Date(caller.authTime * 1000),
        codeChallenge,
        redirectTo: target.href,
        createdAt: at,
        expiresAt: new Date(at.getTime() + HANDOFF_CODE_TTL_SECONDS * 1000)
      })
      if (!stored) throw KitErrors.unauthorized('The session has ended')
      // Only Gatehouse's answer is named `code`; the app's own parameters (its `state`) are kept.
      target.searchParams.set('code', code)
      return { location: target.href, expiresIn: HANDOFF_CODE_TTL_SECONDS }
    },

    /**
     * The app's side: the code, once, for a new session of the user. The code is spent first, whatever follows
     * (a wrong verifier, an ended session, the user service unavailable: 503): it never works twice.
     */
    async exchange (code: string, codeVerifier: string | undefined, context: SessionContext, requestId?: string): Promise<TokenPair> {
      const at = now()
      const taken = await store.take(sha256(code), at)
      if (!taken) return refuse(code, 'code', 'This sign-in code is unknown, expired or already used; sign in again')
      const originEnded = () => refuse(code, 'code', 'The sign-in this code came from has ended; sign in again')
      if (!taken.originActive) return originEnded()
      // A code bound to a challenge needs its verifier; a verifier for a code without one is refused as well
      // (RFC 9700 4.8.2: a challenge dropped on the way must not pass unnoticed).
      if (taken.codeChallenge !== undefined || codeVerifier !== undefined) {
        const expected = Buffer.from(taken.codeChallenge ?? '')
        const presented = Buffer.from(codeVerifier === undefined ? '' : s256(codeVerifier))
        if (taken.codeChallenge === undefined || codeVerifier === undefined || expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
          return refuse(code, 'codeVerifier', taken.codeChallenge === undefined
            ? 'This sign-in code was issued without a codeChallenge, so it takes no codeVerifier; sign in again'
            : 'This sign-in code is bound to a codeChallenge: the codeVerifier is missing or does not match; sign in again')
        }
      }
      const user = await existingUser(deps.users, taken.userId, requestId)
      if (!deps.allowAdmin && user.roles.includes(ADMIN_ROLE)) throw adminRefused()
      // Checked again as the session is stored: the origin may have ended while the user was read.
      return await deps.startDerivedSession(user, taken.sessionId, 'handoff', { ...context, authTime: taken.authTime }) ?? originEnded()
    }
  }
}

export type Handoff = ReturnType<typeof createHandoff>
