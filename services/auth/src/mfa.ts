import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib'
import type { Db, Tx } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import { OTP_REQUEST_ROUTING_KEY, OTP_REQUESTED, VERIFICATION_EXCHANGE } from '@app/contracts/verification'
import type { OtpRequest } from '@app/contracts/verification'
import type { LoginMethod, SessionContext, TokenPair } from './auth-service.ts'
import { AuthErrors } from './errors.ts'
import { openPrivateKey, sealPrivateKey } from './key-encryption.ts'
import type { MfaChannel, MfaStore } from './mfa-store.ts'
import type { OtpClient } from './otp-client.ts'
import { smsUnavailable } from './sms-unavailable.ts'
import type { UserClient, UserSummary } from './user-client.ts'

export interface MfaChallenge {
  mfaRequired: true
  challengeId: string
  channel: MfaChannel
  /** The user has a passkey: it can answer the challenge instead of a code (POST /api/v1/auth/mfa/passkey). */
  passkey?: true
}

/** What proved the first factor of a login, when it was a passkey: recorded with the challenge. */
export interface FirstFactor {
  method: 'passkey'
  /** The passkey's id (passkeys table). */
  passkeyId: string
}

/** How a second step is answered: a code (or recovery code), or a passkey assertion. */
export type SecondStepAnswer = 'code' | 'passkey'

/** A challenge that can still be answered: its user, and whether a passkey started its login. */
export interface OpenChallenge {
  userId: string
  startedByPasskey: boolean
}

export interface MfaSetting {
  enabled: boolean
  channel?: MfaChannel
  otp?: string
}

export interface MfaDeps {
  db: Db
  store: MfaStore
  events: EventEmitter
  users: UserClient
  otp: OtpClient
  encryptionKey: Buffer | undefined
  issuer: string
  now: () => Date
  startSession: (user: UserSummary, method: LoginMethod, context?: SessionContext) => Promise<TokenPair>
  /** After the second step: records the client the password step came from as known; whether it was new. */
  secondStepPassed?: (challengeId: string, userId: string) => Promise<{ newDevice: boolean } | undefined>
  challengeTtlSeconds?: number
  maxAttempts?: number
  /** SMS_ENABLED: false refuses turning on codes by SMS (400 sms_unavailable); unset counts as true. */
  smsEnabled?: boolean
}

const RECOVERY_CODES = 10
const hash = (code: string) => createHash('sha256').update(code.replace(/-/g, '').toLowerCase()).digest('hex')
/** 10 characters of base32 in two groups, e.g. `k7qd3-m2xpa`: 50 bits each. */
const newRecoveryCode = () => {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789'
  const chars = [...randomBytes(10)].map(b => alphabet[b % 32]).join('')
  return `${chars.slice(0, 5)}-${chars.slice(5)}`
}
const isRecoveryCode = (code: string) => /^[a-z2-9]{5}-?[a-z2-9]{5}$/i.test(code)

/** 400 mfa_unavailable: a passkey cannot be the second step of a login a passkey started. */
export const startedByPasskey = () => AuthErrors.mfa_unavailable({
  detail: 'This login started with a passkey: answer with a code',
  errors: [{ path: '/body/challengeId', message: 'belongs to a login that started with a passkey' }]
})

/**
 * Two-step login: a code by SMS or email (from the otp service, purpose `mfa`)
 * or from an authenticator app (TOTP, RFC 6238), with one-time recovery codes.
 */
export function createMfa (deps: MfaDeps) {
  const { db, store, events, users, otp, now } = deps
  const ttlMs = (deps.challengeTtlSeconds ?? 300) * 1000
  const maxAttempts = deps.maxAttempts ?? 5
  const aad = (userId: string) => `totp:${userId}`

  async function requestCode (tx: Tx, destination: string, userId: string): Promise<void> {
    const request: OtpRequest = { requestId: randomUUID(), destination, purpose: 'mfa', userId }
    await events.emit(tx, OTP_REQUESTED, request, userId, { exchange: VERIFICATION_EXCHANGE, routingKey: OTP_REQUEST_ROUTING_KEY })
  }

  /** A TOTP code, once: the step it matched is remembered and never accepted again. */
  async function totpMatches (userId: string, sealedSecret: string, token: string, afterTimeStep: number | null): Promise<boolean> {
    const secret = openPrivateKey(sealedSecret, aad(userId), deps.encryptionKey)
    const result = await verifyTotp({
      secret,
      token,
      epoch: Math.floor(now().getTime() / 1000),
      epochTolerance: 30,
      ...(afterTimeStep === null ? {} : { afterTimeStep })
    })
    if (!result.valid || !('timeStep' in result)) return false
    return store.useTotpStep(userId, result.timeStep)
  }

  async function newRecoveryCodes (tx: Tx, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode)
    await store.replaceRecoveryCodes(userId, codes.map(hash), tx)
    return codes
  }

  /** Checks a code of the user's current factor (or a recovery code); throws when it is wrong. */
  async function proveFactor (userId: string, code: string, requestId?: string): Promise<void> {
    const factor = await store.factor(userId)
    if (!factor) throw AuthErrors.mfa_unavailable('Two-step login is not set up')
    if (isRecoveryCode(code) && code.length > 6) {
      if (await store.useRecoveryCode(userId, hash(code), now())) return
      throw AuthErrors.mfa_code_invalid({ errors: [{ path: '/body/otp', message: 'is not a valid code' }] })
    }
    if (factor.channel === 'totp') {
      if (factor.totpSecret && await totpMatches(userId, factor.totpSecret, code, factor.lastTotpStep)) return
      throw AuthErrors.mfa_code_invalid({ errors: [{ path: '/body/otp', message: 'is not the current authenticator code' }] })
    }
    await otp.verify(factor.destination!, 'mfa', code, requestId)
  }

  function destinationOf (user: UserSummary, channel: 'sms' | 'email'): string {
    const destination = channel === 'sms' ? user.phone : user.email
    if (!destination) throw AuthErrors.mfa_unavailable({ detail: `The account has no ${channel === 'sms' ? 'phone number' : 'email address'} for codes`, errors: [{ path: '/body/channel', message: 'has no address on this account' }] })
    return destination
  }

  /**
   * The second step: `prove` throws when the answer is wrong; each try counts. A login a passkey started is never
   * finished by a passkey (400 mfa_unavailable), whatever the cache remembers: the challenge row says so.
   */
  async function answerChallenge (challengeId: string, prove: (userId: string) => Promise<void>, requestId?: string, context?: SessionContext, answer: SecondStepAnswer = 'code'): Promise<TokenPair> {
    const challenge = await store.challenge(challengeId)
    const invalid = () => AuthErrors.mfa_challenge_invalid('This login challenge is unknown, expired, used up or already answered; log in again')
    if (!challenge || challenge.usedAt || challenge.expiresAt <= now()) throw invalid()
    if (answer === 'passkey' && challenge.firstFactor === 'passkey') throw startedByPasskey()
    if (!await store.countAttempt(challengeId, maxAttempts)) throw invalid()
    await prove(challenge.userId)
    if (!await store.spendChallenge(challengeId, now())) throw invalid()
    const passed = await deps.secondStepPassed?.(challengeId, challenge.userId)
    return deps.startSession(await users.getUser(challenge.userId, requestId), 'mfa', { ...context, newDevice: passed?.newDevice ?? true })
  }

  return {
    async status (userId: string): Promise<{ enabled: boolean, channel: MfaChannel | null }> {
      const factor = await store.factor(userId)
      return { enabled: factor?.enabled ?? false, channel: factor?.enabled ? factor.channel : null }
    },

    /**
     * Turning on takes two calls: the first sends a code (sms, email) or returns
     * the authenticator secret (totp); the second, with a code, confirms and
     * returns recovery codes (shown once). Turning off needs a code of the
     * current factor or a recovery code; without one, a code is sent.
     */
    async configure (userId: string, setting: MfaSetting, requestId?: string) {
      const current = await store.factor(userId)
      if (!setting.enabled) {
        if (!current?.enabled) return { enabled: false }
        if (!setting.otp) {
          if (current.channel !== 'totp') await db.tx(tx => requestCode(tx, current.destination!, userId))
          return { enabled: true, channel: current.channel, message: current.channel === 'totp' ? 'Send a code from the authenticator app or a recovery code to turn it off' : 'A code is on its way: send it to turn two-step login off' }
        }
        await proveFactor(userId, setting.otp, requestId)
        await db.tx(async (tx) => {
          await store.remove(userId, tx)
          await events.emit(tx, 'auth.mfa_disabled', { userId }, userId)
        })
        return { enabled: false }
      }

      const channel = setting.channel
      if (!channel) throw AuthErrors.mfa_unavailable({ detail: 'channel is required to turn two-step login on', errors: [{ path: '/body/channel', message: 'is required' }] })
      if (current?.enabled) throw AuthErrors.mfa_unavailable({ detail: 'Two-step login is already on; turn it off first to change the channel', errors: [{ path: '/body/enabled', message: 'is already true' }] })
      if (channel === 'sms' && deps.smsEnabled === false) throw smsUnavailable('/body/channel', 'choose email or totp')

      if (!setting.otp || current?.channel !== channel) {
        if (channel === 'totp') {
          const secret = generateSecret()
          await store.savePending({ userId, channel, destination: null, totpSecret: sealPrivateKey(secret, aad(userId), deps.encryptionKey) }, now())
          const user = await users.getUser(userId, requestId)
          return { enabled: false, channel, secret, otpauthUrl: generateURI({ issuer: deps.issuer, label: user.email ?? user.phone ?? userId, secret }) }
        }
        const destination = destinationOf(await users.getUser(userId, requestId), channel)
        await db.tx(async (tx) => {
          await store.savePending({ userId, channel, destination, totpSecret: null }, now(), tx)
          await requestCode(tx, destination, userId)
        })
        return { enabled: false, channel, message: 'A code is on its way: send it with the same request to turn two-step login on' }
      }

      if (channel === 'totp') {
        if (!current.totpSecret || !await totpMatches(userId, current.totpSecret, setting.otp, current.lastTotpStep)) {
          throw AuthErrors.mfa_code_invalid({ errors: [{ path: '/body/otp', message: 'is not the current authenticator code' }] })
        }
      } else {
        await otp.verify(current.destination!, 'mfa', setting.otp, requestId)
      }
      const recoveryCodes = await db.tx(async (tx) => {
        await store.enable(userId, now(), tx)
        await events.emit(tx, 'auth.mfa_enabled', { userId, channel }, userId)
        return newRecoveryCodes(tx, userId)
      })
      return { enabled: true, channel, recoveryCodes }
    },

    /** New recovery codes in place of the old ones (shown once); 400 `mfa_unavailable` when two-step login is off. */
    async regenerateRecoveryCodes (userId: string): Promise<{ recoveryCodes: string[] }> {
      const current = await store.factor(userId)
      if (!current?.enabled) throw AuthErrors.mfa_unavailable({ detail: 'Two-step login is off: there are no recovery codes to replace', errors: [{ path: '/body', message: 'two-step login is off' }] })
      return { recoveryCodes: await db.tx(tx => newRecoveryCodes(tx, userId)) }
    },

    /**
     * After a correct first factor (a password, a magic link, an OIDC provider, a passkey without user verification):
     * the challenge to answer, or undefined when the user has no second factor. A passkey as the first factor is
     * recorded with the challenge, and the answer does not offer a passkey for the second step.
     */
    async challengeFor (user: UserSummary, firstFactor?: FirstFactor): Promise<MfaChallenge | undefined> {
      const factor = await store.loginFactor(user.id)
      if (!factor?.enabled) return undefined
      const id = randomUUID()
      const at = now()
      await db.tx(async (tx) => {
        await store.insertChallenge({
          id,
          userId: user.id,
          channel: factor.channel,
          destination: factor.destination,
          expiresAt: new Date(at.getTime() + ttlMs),
          firstFactor: firstFactor?.method ?? null,
          firstPasskeyId: firstFactor?.passkeyId ?? null
        }, at, tx)
        if (factor.channel !== 'totp') await requestCode(tx, factor.destination!, user.id)
      })
      const passkey = factor.hasPasskey && firstFactor?.method !== 'passkey'
      return { mfaRequired: true, challengeId: id, channel: factor.channel, ...(passkey ? { passkey } : {}) }
    },

    /** A challenge that can still be answered; undefined when it is unknown, expired or used up. */
    async openChallenge (challengeId: string): Promise<OpenChallenge | undefined> {
      const challenge = await store.challenge(challengeId)
      if (!challenge || challenge.usedAt || challenge.expiresAt <= now() || challenge.attempts >= maxAttempts) return undefined
      return { userId: challenge.userId, startedByPasskey: challenge.firstFactor === 'passkey' }
    },

    /** The second step answered another way (`answer`: 'passkey'): `prove` throws when the answer is wrong; each try counts. */
    answerChallenge,

    /** The second step of a login: a code (or a recovery code) for the challenge; then the token pair. */
    verifyChallenge: (challengeId: string, code: string, requestId?: string, context?: SessionContext): Promise<TokenPair> =>
      answerChallenge(challengeId, userId => proveFactor(userId, code, requestId), requestId, context)
  }
}

export type Mfa = ReturnType<typeof createMfa>
