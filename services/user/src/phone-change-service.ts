import type { Db, Tx } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { activeUser } from './active-user.ts'
import { PHONE_CHANGE } from './clients.ts'
import type { OtpClient } from './clients.ts'
import type { User } from './domain/user.ts'
import { UserErrors } from './errors.ts'
import { emitUserUpdated } from './user-events.ts'
import type { UserStore } from './user-store.ts'

export interface PhoneChangeDeps {
  db: Db
  store: UserStore
  events: EventEmitter
  otp: OtpClient
}

const notPending = () => UserErrors.phone_change_not_pending({
  detail: 'No new phone is waiting for a code: set one with PATCH /api/v1/users/me first',
  errors: [{ path: '/body/otp', message: 'there is no pending phone to verify' }]
})

/** A new phone waits for the code sent to it; then it replaces the current one, verified. */
export function createPhoneChangeService ({ db, store, events, otp }: PhoneChangeDeps) {
  return {
    /** In the PATCH's transaction: `newPhone` becomes pending. `sendCode` follows after commit. */
    async request (current: User, newPhone: string, tx: Tx): Promise<User> {
      const owner = await store.findUserByPhone(newPhone, tx)
      if (owner && owner.id !== current.id) {
        throw KitErrors.conflict({ detail: 'phone is already registered', errors: [{ path: '/body/phone', message: 'is already registered' }] })
      }
      return (await store.setPendingPhone(current.id, newPhone, tx))!
    },

    sendCode: (user: User, phone: string, clientIp?: string, requestId?: string) => otp.send(phone, PHONE_CHANGE, user.id, clientIp, requestId),

    /** Spends the code sent to the pending phone, which then becomes the phone. The previous one, if verified, is named in `user.updated`. */
    async verify (userId: string, code: string, requestId?: string): Promise<User> {
      const before = await activeUser(store, userId)
      const phone = before.pendingPhone
      if (!phone) throw notPending()
      await otp.verify(phone, PHONE_CHANGE, code, requestId)
      return db.tx(async (tx) => {
        const current = await store.lockUser(userId, tx)
        const user = current && await store.promotePendingPhone(userId, phone, tx)
        if (!current || !user) throw notPending()
        await emitUserUpdated(events, tx, user, ['phone'], current.phone && current.phoneVerified ? { previousPhone: current.phone } : {})
        await events.emit(tx, 'user.phone_verified', { userId, phone }, userId)
        return user
      })
    }
  }
}

export type PhoneChangeService = ReturnType<typeof createPhoneChangeService>
