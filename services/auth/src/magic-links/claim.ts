import type { Db, Tx } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import type { AuthService } from '../auth-service.ts'
import type { MfaStore } from '../mfa-store.ts'

/** `auth.logged_out`'s reason when an account's sessions end because someone proved its unverified email. */
export const EMAIL_CLAIMED = 'email_claimed'

export interface EmailClaimDeps {
  db: Db
  events: EventEmitter
  auth: Pick<AuthService, 'revokeSessions'>
  mfa: Pick<MfaStore, 'removeSetUpBefore'>
}

/**
 * Account pre-hijacking: someone registers a victim's email with a password of their own and waits. When the
 * victim proves the address by magic link, the user service hands the account to them (clears the password,
 * `user.email_verified` with `claimed: true`), and this ends what the previous holder left in auth: the
 * sessions, the two-step login (factor, recovery codes, open challenges) and the passkeys.
 */
export function createEmailClaim ({ db, events, auth, mfa }: EmailClaimDeps) {
  /** `before` null: everything, whenever it started; else only what started before (sessions) or by (the rest) then. */
  async function endPreviousHolder (userId: string, before: Date | null, tx: Tx): Promise<void> {
    await auth.revokeSessions(userId, before ? { startedBefore: before } : {}, EMAIL_CLAIMED, tx)
    if (await mfa.removeSetUpBefore(userId, before, tx)) await events.emit(tx, 'auth.mfa_disabled', { userId }, userId)
    // The passkeys module's table, in this transaction (its store reads outside one).
    const { rows } = await tx.query<{ id: string, name: string }>(`delete from passkeys
      where user_id = $1 and ($2::timestamptz is null or created_at <= $2) returning id, name`, [userId, before])
    for (const passkey of rows) await events.emit(tx, 'auth.passkey_removed', { userId, passkeyId: passkey.id, name: passkey.name }, userId)
  }

  return {
    /** Right after the claim, before the claimant's own session starts: everything the account has goes. */
    claimed: (userId: string): Promise<void> => db.tx(tx => endPreviousHolder(userId, null, tx)),
    /** `user.email_verified` with `claimed: true`, in case that was lost: only what existed at the event (the claimant's own came later). */
    repeat: (userId: string, eventTime: Date, tx: Tx): Promise<void> => endPreviousHolder(userId, eventTime, tx)
  }
}

export type EmailClaim = ReturnType<typeof createEmailClaim>
