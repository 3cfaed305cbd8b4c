import type { Logger } from 'pino'
import type { Cache } from '@app/kit/cache'
import type { Db, Tx } from '@app/kit/db'
import { AppError, hasErrorCode, KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, deliveryRoutingKey, sealSecrets } from '@app/contracts/delivery'
import type { DeliveryRequest, SealKeys } from '@app/contracts/delivery'
import { assertPasswordAllowed } from '@app/password-policy'
import type { AuthClient, Identifier, OtpClient, UserClient, UserContact } from './clients.ts'
import { PasswordErrors } from './errors.ts'
import { hashResetToken, newResetToken } from './reset-tokens.ts'
import type { ResetTokenStore } from './reset-tokens.ts'

/** Forgot-password requests travel here, not on `events`: they name an address that may not be an account. */
export const JOBS_EXCHANGE = 'password-jobs'
export const FORGOT_RECEIVED = 'password.forgot_received'

export type ResetMethod = 'link' | 'otp'

export interface ForgotJob extends Identifier {
  method: ResetMethod
}

export interface PasswordServiceDeps {
  db: Db
  tokens: ResetTokenStore
  users: UserClient
  auth: AuthClient
  otp: OtpClient
  events: EventEmitter
  cache: Cache
  log: Logger
  now: () => Date
  /** Seals reset links into delivery requests (EVENT_SEAL_KEYS). */
  sealKeys: SealKeys
  resetTtlSeconds: number
  resetUrl: string
  forgotMaxPerHour: number
}

function unchanged (): AppError {
  return new AppError('password_unchanged', 400, 'Password unchanged', {
    detail: 'newPassword must differ from the current password',
    errors: [{ path: '/body/newPassword', message: 'must differ from the current password' }]
  })
}

/** What the otp service answers when no code is live: also the answer for an address without an account. */
function noValidCode (): AppError {
  return new AppError('otp_expired', 410, 'OTP expired', { detail: 'There is no valid code for this address; request a new one' })
}

/** The user service names its own field (`/body/password`); the client sent `newPassword`. */
function asNewPasswordError (err: unknown): unknown {
  if (hasErrorCode(err, 'password_unchanged')) return unchanged()
  if (!hasErrorCode(err, 'validation_failed')) return err
  const { errors = [], detail } = err as AppError
  return KitErrors.validation_failed({
    detail: detail.replace(/^password\b/, 'newPassword'),
    errors: errors.map(e => ({ ...e, path: e.path.replace(/\/password$/, '/newPassword') }))
  })
}

export function createPasswordService (deps: PasswordServiceDeps) {
  const { db, tokens, users, auth, otp, events, cache, log, now } = deps

  function resetLink (token: string): string {
    const url = new URL(deps.resetUrl)
    url.searchParams.set('token', token)
    return url.toString()
  }

  async function requestDelivery (tx: Tx, request: DeliveryRequest): Promise<void> {
    await events.emit(tx, DELIVERY_REQUESTED, request, request.userId ?? undefined, { exchange: DELIVERY_EXCHANGE, routingKey: deliveryRoutingKey(request.template) })
  }

  /**
   * After a password was stored: earlier links die, the change is announced
   * (a confirmation goes out), and sessions end. The auth call makes that
   * immediate; auth's `password.changed` consumer repeats it if the call fails.
   */
  async function passwordChanged (user: UserContact, reason: 'reset' | 'change', keepSessionId: string | null, requestId?: string): Promise<void> {
    await db.tx(async (tx) => {
      await tokens.revokeAllOf(user.id, now(), tx)
      await events.emit(tx, 'password.changed', { userId: user.id, reason, email: user.email, phone: user.phone, keepSessionId }, user.id)
    })
    try {
      await auth.revokeSessions(user.id, `password_${reason}`, keepSessionId, requestId)
    } catch (err) {
      log.warn({ err, userId: user.id }, 'ending sessions after a password change failed; the password.changed consumer will retry')
    }
  }

  async function passwordMatches (identifier: Identifier, password: string, requestId?: string): Promise<boolean> {
    try {
      await users.verifyPassword(identifier, password, requestId)
      return true
    } catch (err) {
      if (hasErrorCode(err, 'invalid_credentials')) return false
      throw err
    }
  }

  /**
   * Callers check beforehand that the new password differs from the current
   * one, so `password_unchanged` here means an earlier attempt of this same
   * call succeeded and only its answer was lost (the client retries PUTs).
   */
  async function storeNewPassword (userId: string, newPassword: string, requestId?: string): Promise<void> {
    try {
      await users.setPassword(userId, newPassword, requestId)
    } catch (err) {
      if (hasErrorCode(err, 'password_unchanged')) return
      throw asNewPasswordError(err)
    }
  }

  const identifierOf = (user: UserContact): Identifier => (user.email ? { email: user.email } : { phone: user.phone! })

  return {
    /**
     * Accepts the request without looking anything up: the lookup and the
     * message happen in the background, so a known and an unknown address
     * cost the caller the same time and get the same answer.
     */
    async forgot (job: ForgotJob): Promise<void> {
      await db.tx(tx => events.emit(tx, FORGOT_RECEIVED, job, undefined, { exchange: JOBS_EXCHANGE }))
    },

    /** The background half of `forgot`, before its transaction: who it is, and whether they may get another message. */
    async prepareForgot (job: ForgotJob): Promise<UserContact | undefined> {
      let user: UserContact
      try {
        user = await users.lookup(job)
      } catch (err) {
        if (hasErrorCode(err, 'user_not_found', 'validation_failed')) return undefined
        throw err
      }
      const sent = await cache.incr(`password:forgot:${user.id}`, 3600)
      if (sent > deps.forgotMaxPerHour) {
        log.info({ userId: user.id }, 'forgot-password request dropped: too many this hour')
        return undefined
      }
      if (job.method === 'otp') {
        const to = job.email ? user.email! : user.phone!
        try {
          await otp.send(to, user.id)
        } catch (err) {
          if (hasErrorCode(err, 'rate_limited')) return undefined
          // SMS_ENABLED=false: no code can reach a phone; the request ends here like any other dropped one.
          if (hasErrorCode(err, 'sms_unavailable')) {
            log.info({ userId: user.id }, 'forgot-password request dropped: codes by SMS are turned off')
            return undefined
          }
          throw err
        }
      }
      return user
    },

    /** The background half of `forgot`, in the consumer's transaction. */
    async completeForgot (job: ForgotJob, user: UserContact, tx: Tx): Promise<void> {
      const channel = job.email ? 'email' : 'sms'
      if (job.method === 'link') {
        const token = newResetToken()
        const at = now()
        await tokens.insert({ hash: hashResetToken(token), userId: user.id, createdAt: at, expiresAt: new Date(at.getTime() + deps.resetTtlSeconds * 1000) }, tx)
        await requestDelivery(tx, {
          template: 'password_reset_link',
          channel,
          to: channel === 'email' ? user.email! : user.phone!,
          userId: user.id,
          variables: { expiresInMinutes: String(Math.round(deps.resetTtlSeconds / 60)) },
          sealed: sealSecrets({ link: resetLink(token) }, deps.sealKeys)
        })
      }
      await events.emit(tx, 'password.reset_requested', { userId: user.id, method: job.method, channel }, user.id)
    },

    /** With a link token: spent once, released again if the new password is refused. */
    async resetWithToken (token: string, newPassword: string, requestId?: string): Promise<void> {
      assertPasswordAllowed(newPassword, '/body/newPassword')
      const hash = hashResetToken(token)
      const userId = await tokens.claim(hash, now())
      if (!userId) throw PasswordErrors.reset_token_invalid({ detail: 'This reset link is invalid, expired or already used; ask for a new one', errors: [{ path: '/body/token', message: 'is invalid, expired or already used' }] })
      let user: UserContact
      try {
        user = await users.get(userId, requestId)
        if (await passwordMatches(identifierOf(user), newPassword, requestId)) throw unchanged()
        await storeNewPassword(userId, newPassword, requestId)
      } catch (err) {
        await tokens.release(hash)
        throw err
      }
      await passwordChanged(user, 'reset', null, requestId)
    },

    /**
     * With a code from the otp service. An unknown address gets the same
     * answer as a wrong code. The new password is checked before the code is
     * spent, so a refused password does not cost the user their code.
     */
    async resetWithOtp (identifier: Identifier, code: string, newPassword: string, requestId?: string): Promise<void> {
      assertPasswordAllowed(newPassword, '/body/newPassword')
      // First, so an unknown address pays for a (decoy) hash too and answers in similar time.
      if (await passwordMatches(identifier, newPassword, requestId)) throw unchanged()
      let user: UserContact
      try {
        user = await users.lookup(identifier, requestId)
      } catch (err) {
        if (hasErrorCode(err, 'user_not_found')) throw noValidCode()
        throw err
      }
      await otp.verify(identifier.email ? user.email! : user.phone!, code, requestId)
      await storeNewPassword(user.id, newPassword, requestId)
      await passwordChanged(user, 'reset', null, requestId)
    },

    /** For a logged-in user: the current password is required; every other session ends. */
    async change (userId: string, sessionId: string | null, currentPassword: string, newPassword: string, requestId?: string): Promise<void> {
      assertPasswordAllowed(newPassword, '/body/newPassword')
      if (newPassword === currentPassword) throw unchanged()
      let user: UserContact
      try {
        user = await users.get(userId, requestId)
      } catch (err) {
        if (hasErrorCode(err, 'user_not_found')) throw KitErrors.unauthorized('The account no longer exists')
        throw err
      }
      if (!await passwordMatches(identifierOf(user), currentPassword, requestId)) {
        throw PasswordErrors.current_password_invalid({ errors: [{ path: '/body/currentPassword', message: 'is not the current password' }] })
      }
      await storeNewPassword(user.id, newPassword, requestId)
      await passwordChanged(user, 'change', sessionId, requestId)
    }
  }
}

export type PasswordService = ReturnType<typeof createPasswordService>
