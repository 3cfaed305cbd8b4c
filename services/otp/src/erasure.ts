import type { Cache } from '@app/kit/cache'
import type { Tx } from '@app/kit/db'
import { OTP_FLOWS } from '@app/contracts/verification'
import { parseDestination } from './destination.ts'
import type { Destination } from './destination.ts'
import { destinationCounterKeys } from './limits.ts'
import { liveCodeKey } from './live-codes.ts'
import { PURPOSES } from './otp-service.ts'
import type { OtpStore } from './otp-store.ts'

export interface DeletedUser {
  userId: string
  email: string | null
  phone: string | null
}

function destinationOf (raw: string | null): Destination | undefined {
  if (!raw) return undefined
  try {
    return parseDestination(raw)
  } catch {
    return undefined
  }
}

/** Account deletion: the user's codes (by user id and by address) and every counter kept per address. */
export function createErasure (store: OtpStore, cache: Cache) {
  return {
    async eraseUser (user: DeletedUser, tx: Tx): Promise<void> {
      const destinations = [destinationOf(user.email), destinationOf(user.phone)].filter(d => d !== undefined)
      const values = [...new Set([user.email, user.phone, ...destinations.map(d => d.value)].filter(v => v !== null))]
      await store.deleteFor(values, user.userId, tx)
      const keys = destinations.flatMap(d => [
        ...destinationCounterKeys(d.limitKey, PURPOSES, OTP_FLOWS),
        ...OTP_FLOWS.flatMap(flow => PURPOSES.map(purpose => liveCodeKey(d.value, purpose, flow)))
      ])
      await Promise.all(keys.map(key => cache.delete(key)))
    }
  }
}
