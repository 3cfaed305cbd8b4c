import type { Db } from '@app/kit/db'
import { hasErrorCode, KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { clientNetwork } from './client-network.ts'
import type { DeviceTokens } from './device-token.ts'
import { identifierHash } from './known-clients.ts'
import type { KnownClients } from './known-clients.ts'
import { normalizeIdentifier } from './login-throttle.ts'
import type { Admission, LoginThrottle, ThrottleClient } from './login-throttle.ts'
import type { MfaChallenge } from './mfa.ts'
import type { SecondSteps } from './second-steps.ts'
import type { CredentialsInput, UserClient, UserSummary } from './user-client.ts'

/** What the login route knows about the client besides the credentials. */
export interface LoginRequest {
  requestId?: string | undefined
  /** The client's address, as the gateway vouched for it. */
  ip: string
  userAgent?: string | undefined
  /** The `gh_device` cookie or `x-device-token` header, unchecked. */
  deviceToken?: string | undefined
}

export interface LoginOutcome<T> {
  body: T | MfaChallenge
  /** The device token to hand back (cookie and header): the client's own, re-signed, or a new one. */
  deviceToken: string
}

/** The parts of login that tell clients apart. */
export interface LoginClients {
  throttle: LoginThrottle
  knownClients: KnownClients
  devices: DeviceTokens
  secondSteps: SecondSteps
}

export interface PasswordLoginDeps<T> extends LoginClients {
  db: Db
  events: EventEmitter
  users: UserClient
  startSession: (user: UserSummary, method: 'password', context: { ip: string, userAgent?: string | undefined, newDevice: boolean }) => Promise<T>
  secondFactor?: ((user: UserSummary) => Promise<MfaChallenge | undefined>) | undefined
}

/**
 * Password login with throttling that strangers cannot turn against the
 * owner: failures count per identifier and client, where a client is its
 * device (a signed token from an earlier login to this account) or else its IP
 * network. A device or network that logged in before has its own counter and
 * skips the hourly ceiling on strangers' guesses; the thief of a device token
 * still gets only that device's growing waits.
 */
export function createPasswordLogin<T> (deps: PasswordLoginDeps<T>) {
  const { db, events, users, throttle, knownClients, devices, secondSteps } = deps

  async function rejected (err: unknown, admission: Admission, identifier: string): Promise<never> {
    if (hasErrorCode(err, 'invalid_credentials')) {
      await throttle.failed(admission)
      await db.tx(tx => events.emit(tx, 'auth.login_failed', { method: 'password', reason: 'invalid_credentials', identifierHash: identifierHash(identifier) }))
    } else {
      await throttle.refund(admission)
    }
    throw err
  }

  /** The upstream 401 `invalid_credentials` passes through unchanged: one answer for unknown users and wrong passwords. */
  async function login (input: CredentialsInput, request: LoginRequest): Promise<LoginOutcome<T>> {
    if ((input.email === undefined) === (input.phone === undefined)) {
      throw KitErrors.validation_failed({ detail: 'exactly one of email or phone is required', errors: [{ path: '/body/email', message: 'or phone is required, not both' }] })
    }
    const identifier = normalizeIdentifier(input)
    const network = clientNetwork(request.ip)
    const deviceId = devices.read(request.deviceToken)
    const known = await knownClients.match(identifier, { deviceId, network })
    // A known device counts on its own, and from an unknown network only on its own: its thief gets that
    // device's waits and nothing more. The owner's own network still works when the thief ran the device into a wait.
    const clients: ThrottleClient[] = known.device ? [{ key: `device:${deviceId}`, known: true }] : []
    if (!known.device || known.network) clients.push({ key: `network:${network}`, known: known.network !== undefined })
    const admission = await throttle.admit(identifier, clients)
    let user: UserSummary
    try {
      user = await users.verifyCredentials(input, request.requestId)
    } catch (err) {
      return rejected(err, admission, identifier)
    }
    await throttle.succeeded(admission)
    const newDevice = !(known.device?.has(user.id) ?? false) && !(known.network?.has(user.id) ?? false)
    const issued = devices.issue(deviceId)
    const seen = { deviceId: issued.deviceId, network }
    // With two-step login the client becomes known only when the second step succeeds: knowing the password is not enough.
    const challenge = await deps.secondFactor?.(user)
    if (challenge) {
      await secondSteps.hold(challenge.challengeId, { identifierHash: identifierHash(identifier), userId: user.id, newDevice, ...seen })
      return { body: challenge, deviceToken: issued.token }
    }
    const body = await deps.startSession(user, 'password', { ip: request.ip, userAgent: request.userAgent, newDevice })
    await knownClients.remember(identifierHash(identifier), user.id, seen)
    return { body, deviceToken: issued.token }
  }

  return {
    login,
    /**
     * For the second step of a login, once it succeeded and before its session starts: records the client
     * of the password step as known, and answers whether it was a new device (undefined for an unknown challenge).
     */
    async secondStepPassed (challengeId: string, userId: string): Promise<{ newDevice: boolean } | undefined> {
      const pending = await secondSteps.take(challengeId)
      if (!pending || pending.userId !== userId) return undefined
      await knownClients.remember(pending.identifierHash, userId, pending)
      return { newDevice: pending.newDevice }
    }
  }
}
