import { randomUUID } from 'node:crypto'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { Cache } from '@app/kit/cache'
import type { Db, Tx } from '@app/kit/db'
import { hasErrorCode, KitErrors } from '@app/kit/errors'
import type { EventEmitter, EventSpec } from '@app/kit/service'
import { OTP_REQUEST_ROUTING_KEY, OTP_REQUESTED, VERIFICATION_EXCHANGE } from '@app/contracts/verification'
import type { InternalOtpFlow, OtpPurpose, OtpRequest } from '@app/contracts/verification'
import type { TokenPair } from './auth-service.ts'
import type { LoginMethod } from './auth-service.ts'
import type { OtpClient } from './otp-client.ts'
import { createPhoneCheckLimit } from './phone-check-limit.ts'
import { smsUnavailable } from './sms-unavailable.ts'
import type { UserClient, UserSummary } from './user-client.ts'

/** Login-start requests go here, not on `events`: they name numbers that may not be accounts. */
export const AUTH_JOBS_EXCHANGE = 'auth-jobs'
export const PHONE_LOGIN_REQUESTED = 'auth.phone_login_requested'

export const OTP_SOON = { message: 'OTP will be sent soon' }

export interface PhoneAuthDeps {
  db: Db
  events: EventEmitter
  users: UserClient
  otp: OtpClient
  startSession: (user: UserSummary, method: LoginMethod) => Promise<TokenPair>
  /** Counts `check` calls; the shared cache (ctx.cache) makes the limit hold across instances, else it is per instance. */
  cache?: Cache
  now?: () => Date
  /** SMS_ENABLED: false refuses sign-up and login by phone up front (400 sms_unavailable), as no code could be sent. */
  smsEnabled?: boolean
}

/** E.164, or 400 naming the field. */
export function normalizePhone (raw: string, path = '/body/phone'): string {
  const phone = raw.trim().startsWith('+') ? parsePhoneNumberFromString(raw.trim()) : undefined
  if (!phone?.isValid()) {
    throw KitErrors.validation_failed({ detail: 'phone must be an E.164 phone number', errors: [{ path, message: 'must be an E.164 phone number such as +14155550123' }] })
  }
  return phone.number
}

/**
 * Sign-up and login with a phone number and a code (the Go design's
 * SignupWithPhoneNumber, VerifyPhoneNumber, LoginWithPhoneNumber,
 * ValidatePhoneNumberLogin). Codes are asked for over the `verification`
 * exchange; the answers never wait for them.
 */
export function createPhoneAuth (deps: PhoneAuthDeps) {
  const { db, events, users, otp } = deps
  const checkLimit = createPhoneCheckLimit(deps.cache, deps.now ?? (() => new Date()))

  function otpRequestSpec (destination: string, purpose: OtpPurpose, flow: InternalOtpFlow, userId: string | null) {
    const request: OtpRequest = { requestId: randomUUID(), destination, purpose, flow, userId }
    return { type: OTP_REQUESTED, data: request, subject: userId ?? undefined, options: { exchange: VERIFICATION_EXCHANGE, routingKey: OTP_REQUEST_ROUTING_KEY } } satisfies EventSpec<typeof OTP_REQUESTED>
  }

  async function requestOtp (tx: Tx, destination: string, purpose: OtpPurpose, flow: InternalOtpFlow, userId: string | null): Promise<void> {
    const { type, data, subject, options } = otpRequestSpec(destination, purpose, flow, userId)
    await events.emit(tx, type, data, subject, options)
  }

  // The same answer for every number, so it tells nothing about accounts.
  function assertSmsEnabled (): void {
    if (deps.smsEnabled === false) throw smsUnavailable('/body/phone', 'use email instead')
  }

  async function findByPhone (phone: string, requestId?: string): Promise<UserSummary | undefined> {
    try {
      return await users.findByPhone(phone, requestId)
    } catch (err) {
      if (hasErrorCode(err, 'user_not_found')) return undefined
      throw err
    }
  }

  return {
    /** Always the same answer: a code goes to the number whether or not it has an account (verify creates it). */
    async signup (rawPhone: string): Promise<typeof OTP_SOON> {
      assertSmsEnabled()
      const phone = normalizePhone(rawPhone)
      // Nothing but the request is written: its outbox row alone, in one statement instead of a transaction.
      await events.emitWith(db, outbox => `with ${outbox} select 1`, [], [otpRequestSpec(phone, 'verification', 'phone_signup', null)])
      return OTP_SOON
    },

    async verify (rawPhone: string, code: string, requestId?: string): Promise<TokenPair> {
      const phone = normalizePhone(rawPhone)
      await otp.verify(phone, 'verification', code, requestId, 'phone_signup')
      // The user service finds or creates the account, verified, in one call (racing verifies get the same one).
      return deps.startSession(await users.phoneAccount(phone, requestId), 'phone_otp')
    },

    /** Uniform: the lookup happens in the background, and only a registered, verified number gets a code. */
    async loginStart (rawPhone: string): Promise<typeof OTP_SOON> {
      assertSmsEnabled()
      const phone = normalizePhone(rawPhone)
      await db.tx(tx => events.emit(tx, PHONE_LOGIN_REQUESTED, { phone }, undefined, { exchange: AUTH_JOBS_EXCHANGE }))
      return OTP_SOON
    },

    /** The background half of `loginStart`: who owns the number (outside the consumer's transaction). */
    prepareLoginStart: (phone: string) => findByPhone(phone),

    /** A number that was never verified gets no login code: whoever holds it has not proved it belongs to the account. */
    async completeLoginStart (phone: string, user: UserSummary | undefined, tx: Tx): Promise<void> {
      if (user?.phoneVerified) await requestOtp(tx, phone, 'login', 'phone_login', user.id)
    },

    /**
     * Only a code sent by login/start (flow `phone_login`) logs in; a number
     * without an account or not verified never got one, so it fails like a
     * wrong or expired code.
     */
    async login (rawPhone: string, code: string, requestId?: string): Promise<TokenPair> {
      const phone = normalizePhone(rawPhone)
      await otp.verify(phone, 'login', code, requestId, 'phone_login')
      const user = await findByPhone(phone, requestId)
      if (!user?.phoneVerified) throw KitErrors.unauthorized('No account uses this phone number as a verified login')
      return deps.startSession(user, 'phone_otp')
    },

    /**
     * Whether this number can log in with a code: a valid number with an
     * account. Limited per client IP and per number here as well as at the
     * gateway, so the service's own port does not allow enumeration either.
     */
    async check (rawPhone: string, requestId?: string, clientIp?: string): Promise<{ isValid: boolean }> {
      let phone: string
      try {
        phone = normalizePhone(rawPhone)
      } catch {
        await checkLimit.admit(clientIp, rawPhone.trim().slice(0, 32))
        return { isValid: false }
      }
      await checkLimit.admit(clientIp, phone)
      return { isValid: (await findByPhone(phone, requestId)) !== undefined }
    }
  }
}

export type PhoneAuth = ReturnType<typeof createPhoneAuth>
