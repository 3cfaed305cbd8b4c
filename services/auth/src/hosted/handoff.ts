import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '@app/kit/db'
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

export interface HandoffDeps {
  db: Db
  store: HandoffStore
  events: EventEmitter
  users: Pick<UserClient, 'getUser'>
  allowlist: RedirectAllowlist
  now: () => Date
  startSession: (user: UserSummary, method: 'handoff', context?: SessionContext) => Promise<TokenPair>
}

/**
 * A sign-in on the hosted pages handed to an app on another origin: the
 * signed-in browser asks for a one-time code bound to an allowed `redirectTo`
 * and goes there with `?code=`; the app trades the code for a session of its
 * own (its own token pair, ended independently of the hosted pages' session).
 * No token ever travels in a URL.
 */
export function createHandoff (deps: HandoffDeps) {
  const { store, now } = deps
  return {
    /** The address to send the browser to: `redirectTo` (checked against the allow-list) with `code`. */
    async issue (caller: { userId: string, sessionId: string }, redirectTo: string): Promise<{ location: string, expiresIn: number }> {
      const target = new URL(deps.allowlist.check(redirectTo, '/body/redirectTo'))
      const code = randomBytes(32).toString('base64url')
      const at = now()
      await store.insert({
        codeHash: sha256(code),
        userId: caller.userId,
        sessionId: caller.sessionId,
        redirectTo: target.href,
        createdAt: at,
        expiresAt: new Date(at.getTime() + HANDOFF_CODE_TTL_SECONDS * 1000)
      })
      // Only Gatehouse's answer is named `code`; the app's own parameters (its `state`) are kept.
      target.searchParams.set('code', code)
      return { location: target.href, expiresIn: HANDOFF_CODE_TTL_SECONDS }
    },

    /** The app's side: the code, once, for a new session of the user. */
    async exchange (code: string, context: SessionContext, requestId?: string): Promise<TokenPair> {
      const taken = await store.take(sha256(code), now())
      if (!taken) {
        await deps.db.tx(tx => deps.events.emit(tx, 'auth.login_failed', { method: 'handoff', reason: 'code_invalid', identifierHash: sha256(`handoff:${sha256(code)}`) }))
        throw HostedErrors.handoff_code_invalid({ detail: 'This sign-in code is unknown, expired or already used; sign in again', errors: [{ path: '/body/code', message: 'is not a valid sign-in code' }] })
      }
      const user = await existingUser(deps.users, taken.userId, requestId)
      return deps.startSession(user, 'handoff', context)
    }
  }
}

export type Handoff = ReturnType<typeof createHandoff>
