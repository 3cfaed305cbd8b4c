import type { Tx } from '@app/kit/db'
import type { ServiceContext } from '@app/kit/service'
import type { AuthService } from './auth-service.ts'
import type { MfaStore } from './mfa-store.ts'
import type { Sessions } from './sessions.ts'

export interface AccountEventDeps {
  auth: Pick<AuthService, 'revokeSessions'>
  sessions: Pick<Sessions, 'erase'>
  mfa: Pick<MfaStore, 'eraseUser'>
}

/** What auth keeps about a deleted account, erased: sessions, refresh tokens, two-step login, code-request results. */
async function eraseAccount (deps: AccountEventDeps, tx: Tx, user: { userId: string, email: string | null, phone: string | null }): Promise<void> {
  await deps.auth.revokeSessions(user.userId, {}, 'deleted', tx)
  await deps.sessions.erase(user.userId, tx)
  await deps.mfa.eraseUser(user.userId, tx)
  await tx.query('delete from login_known_clients where user_id = $1', [user.userId])
  const destinations = [user.email, user.phone].filter((d): d is string => !!d)
  if (destinations.length > 0) await tx.query('delete from otp_request_results where destination = any($1)', [destinations])
}

/**
 * The user service ends the sessions synchronously (the internal revoke
 * route) when it disables or deletes an account; these consumers repeat it
 * in case that call was lost, and erase what auth holds of a deleted account.
 */
export async function consumeAccountEvents (ctx: Pick<ServiceContext<object>, 'consume'>, deps: AccountEventDeps): Promise<void> {
  await ctx.consume({ name: 'account-state', bindings: ['user.disabled', 'user.deleted'] }, async (event, tx) => {
    if (event.type === 'user.disabled') {
      // Only sessions started before the event: the account may have been enabled again since.
      await deps.auth.revokeSessions(event.data.userId, { startedBefore: new Date(event.time) }, 'disabled', tx)
      return
    }
    await eraseAccount(deps, tx, event.data)
  })
}
