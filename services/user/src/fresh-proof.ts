import type { Cache } from '@app/kit/cache'
import { KitErrors } from '@app/kit/errors'
import type { User } from './domain/user.ts'
import { REAUTH } from './clients.ts'
import type { OtpClient } from './clients.ts'
import { UserErrors } from './errors.ts'
import type { PasswordHasher } from './password-hasher.ts'
import type { UserStore } from './user-store.ts'

export type CodeChannel = 'sms' | 'email'

export interface FreshProofDeps {
  store: UserStore
  hasher: PasswordHasher
  otp: OtpClient
  cache: Cache
}

/** Wrong passwords one account may see through these routes per window: a stolen access token must not become a password oracle. */
export const MAX_PASSWORD_FAILURES = 5
export const FAILURE_WINDOW_SECONDS = 900

/** Where a `reauth` code for this account was sent: the verified phone, else the verified email (or the one asked for). */
export function reauthDestination (user: User, channel: CodeChannel | undefined): string | undefined {
  const phone = user.phoneVerified && user.phone ? user.phone : undefined
  const email = user.emailVerified && user.email ? user.email : undefined
  if (channel === 'sms') return phone
  if (channel === 'email') return email
  return phone ?? email
}

/** Proof, in the request itself, that the account holder is at the keyboard: the password or a `reauth` code. */
export function createFreshProof ({ store, hasher, otp, cache }: FreshProofDeps) {
  const failuresKey = (userId: string) => `user:proof-failures:${userId}`
  return {
    /**
     * Resolves when `password` is the account's; `password_incorrect` naming `field` otherwise (also for an
     * account without one); 429 `rate_limited` after `MAX_PASSWORD_FAILURES` wrong ones in the window.
     */
    async password (userId: string, password: string, field: string): Promise<void> {
      // Counted before the check, atomically: of parallel guesses only the first MAX_PASSWORD_FAILURES are checked.
      // A right password resets the count; a wrong one stays counted.
      const attempts = await cache.incr(failuresKey(userId), FAILURE_WINDOW_SECONDS)
      if (attempts > MAX_PASSWORD_FAILURES) {
        const ttl = await cache.ttl(failuresKey(userId))
        throw KitErrors.rate_limited({ detail: 'Too many wrong passwords; try again later, or use a code', headers: { 'retry-after': String(ttl !== undefined && ttl > 0 ? ttl : FAILURE_WINDOW_SECONDS) } })
      }
      const user = await store.findUserWithSecretById(userId)
      // Verified even without a hash, so an account without a password takes as long to refuse.
      const ok = await hasher.verify(user?.passwordHash, password)
      if (!ok) throw UserErrors.password_incorrect({ errors: [{ path: field, message: 'is not the account\'s password' }] })
      await cache.delete(failuresKey(userId))
    },

    /** Spends a `reauth` code sent to a verified address (`POST /api/v1/auth/reauthenticate/start`). */
    async code (user: User, code: string, channel: CodeChannel | undefined, requestId?: string): Promise<void> {
      const destination = reauthDestination(user, channel)
      if (!destination) {
        throw UserErrors.no_verified_contact({
          detail: channel ? `The account has no verified ${channel === 'sms' ? 'phone' : 'email'}: use the password, or the other channel` : 'The account has no verified phone or email: use the password',
          errors: [{ path: channel ? '/body/channel' : '/body/otp', message: 'has no verified address to check the code against' }]
        })
      }
      await otp.verify(destination, REAUTH, code, requestId)
    }
  }
}

export type FreshProof = ReturnType<typeof createFreshProof>
