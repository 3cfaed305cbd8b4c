import { KitErrors } from '@app/kit/errors'
import type { User } from './domain/user.ts'
import type { UserStore } from './user-store.ts'

/** A valid token for an account that no longer exists is no identity at all. */
export const accountGone = () => KitErrors.unauthorized('The account of this access token no longer exists')

/** The caller's account while it exists and is enabled: 401 when gone, 403 `account_disabled` when disabled. */
export async function activeUser (store: UserStore, userId: string): Promise<User> {
  const user = await store.findUserById(userId)
  if (!user) throw accountGone()
  if (user.disabledAt !== null) throw KitErrors.account_disabled()
  return user
}
