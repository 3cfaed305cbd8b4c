import type { Cache } from '@app/kit/cache'
import { hasErrorCode, KitErrors } from '@app/kit/errors'
import type { AuthService, TokenPair } from './auth-service.ts'
import { AuthErrors } from './errors.ts'
import type { ReauthOtpClient } from './reauth-otp-client.ts'
import { existingUser } from './user-client.ts'
import type { UserClient, UserSummary } from './user-client.ts'

export type ReauthChannel = 'sms' | 'email'

/** The caller of a bearer route: the session and when it last proved who it is. */
export interface SessionCaller {
  userId: string
  sessionId: string
}

export interface ReauthDeps {
  auth: Pick<AuthService, 'renewProof'>
  users: UserClient
  otp: ReauthOtpClient
  cache: Cache
  /** Wrong passwords per user and window before 429: a stolen access token must not become a password oracle. */
  maxFailures?: number
  windowSeconds?: number
}

const CODE_CHANNEL_TTL_SECONDS = 900

function contactOf (user: UserSummary, channel: ReauthChannel | undefined): { channel: ReauthChannel, destination: string } {
  const phone = user.phoneVerified && user.phone ? user.phone : undefined
  const email = user.emailVerified && user.email ? user.email : undefined
  if ((channel ?? 'sms') === 'sms' && phone) return { channel: 'sms', destination: phone }
  if ((channel ?? 'email') === 'email' && email) return { channel: 'email', destination: email }
  throw AuthErrors.reauth_unavailable({
    detail: channel ? `The account has no verified ${channel === 'sms' ? 'phone number' : 'email address'}` : 'The account has no verified phone number or email address',
    errors: [{ path: channel ? '/body/channel' : '/body', message: 'no verified contact for a code' }]
  })
}

/**
 * A fresh proof of identity inside a session (the password again, or a code
 * sent to a verified contact), for routes that ask for a recent one
 * (`403 reauth_required`): the answer is a new pair whose `auth_time` is now.
 */
export function createReauth (deps: ReauthDeps) {
  const { users, otp, cache } = deps
  const maxFailures = deps.maxFailures ?? 5
  const windowSeconds = deps.windowSeconds ?? 900
  const failuresKey = (userId: string) => `auth:reauth-failures:${userId}`
  const channelKey = (sessionId: string) => `auth:reauth-channel:${sessionId}`

  async function activeUser (userId: string, requestId?: string): Promise<UserSummary> {
    const user = await existingUser(users, userId, requestId)
    if (user.disabled) throw KitErrors.account_disabled('This account is disabled')
    return user
  }

  async function checkPassword (user: UserSummary, password: string, requestId?: string): Promise<void> {
    // Counted before the check, atomically: parallel tries each take a number, and only the
    // first `maxFailures` of a window are checked (reading first let them all pass the limit).
    const key = failuresKey(user.id)
    const attempt = await cache.incr(key, windowSeconds)
    if (attempt > maxFailures) {
      const ttl = await cache.ttl(key)
      throw KitErrors.rate_limited({ detail: 'Too many wrong passwords; try again later', headers: { 'retry-after': String(ttl !== undefined && ttl > 0 ? ttl : windowSeconds) } })
    }
    const identifier = user.email ? { email: user.email } : user.phone ? { phone: user.phone } : undefined
    try {
      if (!identifier) throw KitErrors.unauthorized('This account has no password')
      const checked = await users.verifyCredentials({ ...identifier, password }, requestId)
      if (checked.id !== user.id) throw KitErrors.unauthorized('The password is not this account\'s')
    } catch (err) {
      // A wrong password keeps its count; a check that could not be made (user service down) gives it back.
      if (!hasErrorCode(err, 'invalid_credentials') && !hasErrorCode(err, 'unauthorized')) await cache.incr(key, windowSeconds, -1)
      throw err
    }
    await cache.delete(key)
  }

  return {
    /** Sends a code to a verified contact (the phone unless `channel` says email); 400 `reauth_unavailable` without one. */
    async start (caller: SessionCaller, channel: ReauthChannel | undefined, clientIp: string | undefined, requestId?: string): Promise<{ message: string, channel: ReauthChannel }> {
      const user = await activeUser(caller.userId, requestId)
      const contact = contactOf(user, channel)
      await otp.send(contact.destination, user.id, clientIp, requestId)
      // The code is checked against the contact it went to.
      await cache.set(channelKey(caller.sessionId), contact.channel, CODE_CHANNEL_TTL_SECONDS)
      return { message: `A code is on its way by ${contact.channel === 'sms' ? 'SMS' : 'email'}`, channel: contact.channel }
    },

    async reauthenticate (caller: SessionCaller, proof: { password?: string | undefined, otp?: string | undefined }, requestId?: string): Promise<TokenPair> {
      if ((proof.password === undefined) === (proof.otp === undefined)) {
        throw KitErrors.validation_failed({ detail: 'exactly one of password or otp is required', errors: [{ path: '/body/password', message: 'or otp is required, not both' }] })
      }
      const user = await activeUser(caller.userId, requestId)
      if (proof.password !== undefined) {
        await checkPassword(user, proof.password, requestId)
      } else {
        const channel = await cache.get(channelKey(caller.sessionId)) as ReauthChannel | undefined
        await otp.verify(contactOf(user, channel).destination, proof.otp!, requestId)
        await cache.delete(channelKey(caller.sessionId))
      }
      return deps.auth.renewProof(user, caller.sessionId)
    }
  }
}

export type Reauth = ReturnType<typeof createReauth>
