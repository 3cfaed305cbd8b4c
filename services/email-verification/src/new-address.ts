import type { TypedEvent } from '@app/kit/bus'
import { hasErrorCode } from '@app/kit/errors'
import type { UserClient, UserContact } from './clients.ts'
import type { Recipient } from './email-verification-service.ts'

const recipient = (user: UserContact, email: string): Recipient => ({ userId: user.id, email, locale: user.locale })

/**
 * The address a `user.registered` or `user.updated` event wants verified, if any: a new account's email;
 * a pending email (`changes` holds `pending_email`: the account's email changes only once the link is used);
 * or an email that took effect unverified (an undone change putting back an unverified address).
 * The user service is asked for the address as it is now, so a superseded pending address gets no mail.
 */
export async function addressToVerify (event: TypedEvent<'user.registered' | 'user.updated'>, users: UserClient): Promise<Recipient | undefined> {
  if (event.type === 'user.registered') {
    const { userId, email, locale, emailVerified } = event.data
    return email && emailVerified !== true ? { userId, email, locale } : undefined
  }
  const pending = event.data.changes.includes('pending_email')
  if (!pending && !event.data.emailChanged) return undefined
  let user: UserContact
  try {
    user = await users.get(event.data.userId)
  } catch (err) {
    if (hasErrorCode(err, 'user_not_found')) return undefined
    throw err
  }
  if (pending) return user.pendingEmail ? recipient(user, user.pendingEmail) : undefined
  return user.email && !user.emailVerified ? recipient(user, user.email) : undefined
}
