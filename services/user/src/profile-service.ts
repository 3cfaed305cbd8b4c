import { KitErrors } from '@app/kit/errors'
import type { Db, Tx } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import { accountGone, activeUser } from './active-user.ts'
import type { EmailChangeService } from './email-change-service.ts'
import type { FreshProof } from './fresh-proof.ts'
import { planProfilePatch } from './domain/profile.ts'
import type { ProfilePlan } from './domain/profile.ts'
import type { User } from './domain/user.ts'
import { UserErrors } from './errors.ts'
import { invalid, normalizeContact } from './input.ts'
import type { PhoneChangeService } from './phone-change-service.ts'
import { emitUserUpdated } from './user-events.ts'
import type { UserChange } from './user-events.ts'
import type { UserStore } from './user-store.ts'

export { accountGone }

export interface ProfileChanges {
  name?: string | null | undefined
  email?: string | undefined
  phone?: string | null | undefined
  locale?: string | undefined
  currentPassword?: string | undefined
}

/** How the caller proved recently that they hold the account: the session's last check, or the password in the body. */
export interface RecentProof {
  /** The session's last password, code or passkey check is recent enough. */
  recent: boolean
  requestId?: string | undefined
  clientIp?: string | undefined
}

export interface ProfileServiceDeps {
  db: Db
  store: UserStore
  events: EventEmitter
  proof: FreshProof
  emailChange: EmailChangeService
  phoneChange: PhoneChangeService
}

const reauthRequired = () => KitErrors.reauth_required(
  'Changing the email or phone needs a recent password or code check: POST /api/v1/auth/reauthenticate first, or send currentPassword'
)

export function createProfileService ({ db, store, events, proof, emailChange, phoneChange }: ProfileServiceDeps) {
  /** Applies a plan to the locked row; returns the user and the phone to send a code to, if any. */
  async function apply (current: User, plan: ProfilePlan, tx: Tx): Promise<{ user: User, codeTo?: string }> {
    const { update, email, phone } = plan
    if (update.email === null && update.phone === null) {
      invalid([{ path: '/body/phone', message: 'cannot be removed: the account would have neither an email nor a phone' }])
    }
    const changes: UserChange[] = [...update.changes]
    let user = update.changes.length > 0 ? (await store.updateProfile(current.id, update, tx))! : current
    if (email.kind === 'pend') user = await emailChange.request(user, email.value, tx)
    if (email.kind === 'cancel_pending') user = (await store.setPendingEmail(current.id, null, tx))!
    if (phone.kind === 'pend') user = await phoneChange.request(user, phone.value, tx)
    if ((phone.kind === 'cancel_pending' || phone.kind === 'remove') && user.pendingPhone) user = (await store.setPendingPhone(current.id, null, tx))!
    if (email.kind === 'pend' || email.kind === 'cancel_pending') changes.push('pending_email')
    if (phone.kind === 'pend' || (phone.kind === 'cancel_pending' && current.pendingPhone)) changes.push('pending_phone')
    if (changes.length > 0) {
      const removedPhone = phone.kind === 'remove' && current.phoneVerified && current.phone ? { previousPhone: current.phone } : {}
      await emitUserUpdated(events, tx, user, changes, removedPhone)
    }
    return phone.kind === 'pend' ? { user, codeTo: phone.value } : { user }
  }

  return {
    async getMe (userId: string): Promise<User> {
      return activeUser(store, userId)
    },

    /** Self or admin; a non-admin asking for someone else is refused before anything is looked up. */
    async getUserAs (viewer: { userId: string, admin: boolean }, id: string): Promise<User> {
      if (viewer.userId !== id && !viewer.admin) throw KitErrors.forbidden('Only administrators can see other users')
      const user = await store.findUserById(id)
      if (!user) throw UserErrors.user_not_found()
      return user
    },

    /**
     * Name and locale change at once. A new email or phone is pending until verified (the current one
     * stays in use) and needs a recent proof: the session's, or `currentPassword`; else 403 `reauth_required`.
     */
    async updateMe (userId: string, input: ProfileChanges, recent: RecentProof): Promise<User> {
      const { email, phone } = normalizeContact({ email: input.email, phone: input.phone ?? undefined })
      const patch = { name: input.name === undefined ? undefined : input.name?.trim() || null, email, phone: input.phone === null ? null : phone, locale: input.locale }
      let proven = recent.recent
      if (!proven && planProfilePatch(await activeUser(store, userId), patch).sensitive) {
        if (input.currentPassword === undefined) throw reauthRequired()
        await proof.password(userId, input.currentPassword, '/body/currentPassword')
        proven = true
      }
      const { user, codeTo } = await db.tx(async (tx) => {
        const current = await store.lockUser(userId, tx)
        if (!current) throw accountGone()
        if (current.disabledAt !== null) throw KitErrors.account_disabled()
        const plan = planProfilePatch(current, patch)
        // The row may have changed since the check above; the proof must cover what is applied.
        if (plan.sensitive && !proven) throw reauthRequired()
        return apply(current, plan, tx)
      })
      if (codeTo) await phoneChange.sendCode(user, codeTo, recent.clientIp, recent.requestId)
      return user
    }
  }
}

export type ProfileService = ReturnType<typeof createProfileService>
