import { createHash, randomUUID } from 'node:crypto'
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse
} from '@simplewebauthn/server'
import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON
} from '@simplewebauthn/server'
import type { Db } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import type { SessionContext, TokenPair } from '../auth-service.ts'
import { clientNetwork } from '../client-network.ts'
import { AuthErrors } from '../errors.ts'
import { identifierHash } from '../known-clients.ts'
import type { KnownClients } from '../known-clients.ts'
import { normalizeIdentifier } from '../login-throttle.ts'
import { startedByPasskey } from '../mfa.ts'
import type { Mfa, MfaChallenge } from '../mfa.ts'
import type { SecondSteps } from '../second-steps.ts'
import { existingUser } from '../user-client.ts'
import type { UserClient, UserSummary } from '../user-client.ts'
import type { Challenges } from './challenges.ts'
import { readClientData } from './client-data.ts'
import type { PasskeyStore, StoredPasskey } from './passkey-store.ts'
import { PasskeyRejection, reasonOfVerifyError, reject, rejectionProblem } from './rejection.ts'
import type { RejectionReason } from './rejection.ts'
import type { RelyingParty } from './relying-party.ts'

export interface PasskeyView {
  id: string
  name: string
  createdAt: string
  lastUsedAt: string | null
  /** Synced between devices (multiDevice) or bound to one authenticator (singleDevice). */
  deviceType: string
  backedUp: boolean
}

export interface PasskeysDeps {
  db: Db
  store: PasskeyStore
  challenges: Challenges
  rp: RelyingParty
  events: EventEmitter
  users: Pick<UserClient, 'getUser'>
  mfa: Pick<Mfa, 'challengeFor' | 'openChallenge' | 'answerChallenge'>
  startSession: (user: UserSummary, method: 'passkey', context?: SessionContext) => Promise<TokenPair>
  /** Where the account logged in from before (a new network is a new device), as for password logins. */
  knownClients: Pick<KnownClients, 'match' | 'remember'>
  /** A login waiting for its second step: its client, made known (and its newDevice used) once that step passes. */
  secondSteps: Pick<SecondSteps, 'hold'>
  now: () => Date
}

const viewOf = (p: StoredPasskey): PasskeyView => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
  deviceType: p.deviceType,
  backedUp: p.backedUp
})

const credentialHash = (credentialId: unknown) => createHash('sha256').update(typeof credentialId === 'string' ? credentialId : '').digest('hex')
const descriptor = (p: StoredPasskey) => ({ id: p.credentialId, transports: p.transports })
// The options carry the challenge's bytes base64url-encoded: the very string the browser signs in clientDataJSON.
const bytesOf = (challenge: string) => new Uint8Array(Buffer.from(challenge, 'base64url'))

/**
 * The login identifiers of the account, keyed as password logins key their known clients: a passkey names the
 * account, not one of them. An account with neither (OIDC only) gets one of its own.
 */
function identifiersOf (user: UserSummary): string[] {
  const found: string[] = []
  if (user.email) found.push(normalizeIdentifier({ email: user.email }))
  if (user.phone) found.push(normalizeIdentifier({ phone: user.phone }))
  return found.length > 0 ? found : [`user:${user.id}`]
}

/**
 * Passkeys (WebAuthn): registered by a signed-in user; then a sign-in on
 * their own (discoverable credentials: no username), or the second step of a
 * login instead of a code. Every response is checked against a single-use
 * challenge, the allowed page origins, the RP id, the stored public key and
 * its signature counter.
 */
export function createPasskeys (deps: PasskeysDeps) {
  const { db, store, challenges, rp, events, users, knownClients, now } = deps

  function requireEnabled (): void {
    if (!rp.enabled) throw AuthErrors.passkeys_unavailable('Passkeys are off: set AUTH_WEBAUTHN_ORIGINS (and AUTH_WEBAUTHN_RP_ID) to turn them on')
  }

  /** The browser's clientData, its challenge taken (once) for this purpose, and its origin allowed. */
  async function precheck (response: { response?: { clientDataJSON?: unknown } }, purpose: 'register' | 'login' | 'second-step', expectedType: string) {
    const clientData = readClientData(response.response?.clientDataJSON)
    if (clientData.type !== expectedType) reject('invalid_response')
    const issued = await challenges.take(clientData.challenge, purpose)
    if (!issued) reject('challenge_invalid')
    if (!rp.allows(clientData.origin)) reject('origin_mismatch')
    return { clientData, issued: issued! }
  }

  /** Checks an assertion against a stored passkey and records its use (the new counter). */
  async function verifyAssertion (response: AuthenticationResponseJSON, expected: { challenge: string, origin: string }, passkey: StoredPasskey, requireUserVerification: boolean) {
    let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>
    try {
      result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: expected.challenge,
        expectedOrigin: expected.origin,
        expectedRPID: rp.id,
        credential: { id: passkey.credentialId, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports },
        requireUserVerification
      })
    } catch (err) {
      return reject(reasonOfVerifyError(err))
    }
    if (!result.verified) reject('signature_invalid')
    // The stored counter only moves up: of two uses with one counter (a replay, a clone) one wins; racing genuine sign-ins pass when recorded in counter order.
    if (!await store.recordUse(passkey.id, result.authenticationInfo.newCounter, now())) reject('counter_regressed')
    return result.authenticationInfo
  }

  /**
   * Whether the client's network logged in to the account before under any of its identifiers (the device token is
   * a password-login cookie, not sent here): newDevice, as magic links decide it.
   */
  async function clientOf (user: UserSummary, ip: string | undefined) {
    const identifiers = identifiersOf(user)
    if (ip === undefined) return { identifiers, network: undefined, newDevice: true }
    const network = clientNetwork(ip)
    for (const identifier of identifiers) {
      if ((await knownClients.match(identifier, { network })).network?.has(user.id) === true) return { identifiers, network, newDevice: false }
    }
    return { identifiers, network, newDevice: true }
  }

  /** A refused login: audited as `auth.login_failed` (only a hash of the credential id), then the 400 problem. */
  async function refused (reason: RejectionReason, credentialId: unknown): Promise<never> {
    await db.tx(tx => events.emit(tx, 'auth.login_failed', { method: 'passkey', reason, identifierHash: credentialHash(credentialId) }))
    throw rejectionProblem(reason)
  }

  async function asRejection<T> (work: () => Promise<T>, onRejected: (reason: RejectionReason) => Promise<never>): Promise<T> {
    try {
      return await work()
    } catch (err) {
      if (err instanceof PasskeyRejection) return onRejected(err.reason)
      throw err
    }
  }

  return {
    async registrationOptions (userId: string, requestId?: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
      requireEnabled()
      const user = await users.getUser(userId, requestId)
      const existing = await store.listByUser(userId)
      const challenge = await challenges.issue({ purpose: 'register', userId })
      return generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        // The user handle is the account id: no email or phone is stored on the authenticator as the handle.
        userID: new TextEncoder().encode(userId),
        userName: user.email ?? user.phone ?? userId,
        challenge: bytesOf(challenge),
        timeout: challenges.ttlSeconds * 1000,
        attestationType: 'none',
        excludeCredentials: existing.map(descriptor),
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' }
      })
    },

    async register (userId: string, response: RegistrationResponseJSON, name?: string): Promise<PasskeyView> {
      requireEnabled()
      const verified = await asRejection(async () => {
        const { clientData, issued } = await precheck(response, 'register', 'webauthn.create')
        if (issued.userId !== userId) reject('challenge_invalid')
        try {
          return await verifyRegistrationResponse({ response, expectedChallenge: clientData.challenge, expectedOrigin: clientData.origin, expectedRPID: rp.id, requireUserVerification: false })
        } catch (err) {
          return reject(reasonOfVerifyError(err))
        }
      }, async reason => { throw rejectionProblem(reason) })
      if (!verified.verified) throw rejectionProblem('signature_invalid')
      const info = verified.registrationInfo
      const count = (await store.listByUser(userId)).length
      const passkey = {
        id: randomUUID(),
        userId,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: name ?? `Passkey ${count + 1}`,
        createdAt: now()
      }
      await db.tx(async (tx) => {
        if (!await store.insert(passkey, tx)) throw KitErrors.conflict({ detail: 'This passkey is already registered', errors: [{ path: '/body/id', message: 'is already registered' }] })
        await events.emit(tx, 'auth.passkey_added', { userId, passkeyId: passkey.id, name: passkey.name }, userId)
      })
      return viewOf({ ...passkey, lastUsedAt: null })
    },

    /** Discoverable: no user named, the authenticator offers the passkeys it holds for this site. */
    async loginOptions (): Promise<PublicKeyCredentialRequestOptionsJSON> {
      requireEnabled()
      const challenge = await challenges.issue({ purpose: 'login' })
      return generateAuthenticationOptions({ rpID: rp.id, challenge: bytesOf(challenge), timeout: challenges.ttlSeconds * 1000, userVerification: 'preferred' })
    },

    /**
     * A sign-in with a passkey. With user verification (PIN, biometrics) it
     * counts as both factors; without, a user with two-step login on gets the
     * usual challenge.
     */
    async login (response: AuthenticationResponseJSON, context: SessionContext & { requestId?: string | undefined }): Promise<TokenPair | MfaChallenge> {
      requireEnabled()
      const { passkey, userVerified } = await asRejection(async () => {
        const { clientData } = await precheck(response, 'login', 'webauthn.get')
        const found = await store.findByCredentialId(response.id)
        // The stored credential names the account; the user handle is not signed, so it proves nothing more.
        if (!found) return reject('unknown_passkey')
        const info = await verifyAssertion(response, clientData, found, false)
        return { passkey: found, userVerified: info.userVerified }
      }, reason => refused(reason, response?.id))
      // Its account deleted a moment ago (the passkeys go with it shortly): 401, like a refresh.
      const user = await existingUser(users, passkey.userId, context.requestId)
      const client = await clientOf(user, context.ip)
      if (!userVerified && !user.disabled) {
        // The passkey was the first factor, recorded with the challenge: the second must be something else (a code).
        const challenge = await deps.mfa.challengeFor(user, { method: 'passkey', passkeyId: passkey.id })
        if (challenge) {
          if (client.network !== undefined) {
            await deps.secondSteps.hold(challenge.challengeId, { identifierHash: identifierHash(client.identifiers[0]!), userId: user.id, newDevice: client.newDevice, network: client.network })
          }
          const { passkey: _passkey, ...codeOnly } = challenge
          return codeOnly
        }
      }
      const pair = await deps.startSession(user, 'passkey', { ip: context.ip, userAgent: context.userAgent, newDevice: client.newDevice })
      const { network } = client
      if (network !== undefined) {
        for (const identifier of client.identifiers) await knownClients.remember(identifierHash(identifier), user.id, { network })
      }
      return pair
    },

    /** Options to answer a login's two-step challenge with one of the user's passkeys. */
    async secondStepOptions (challengeId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
      requireEnabled()
      const opened = await deps.mfa.openChallenge(challengeId)
      if (!opened) throw AuthErrors.mfa_challenge_invalid('This login challenge is unknown, expired, used up or already answered; log in again')
      if (opened.startedByPasskey) throw startedByPasskey()
      const { userId } = opened
      const passkeys = await store.listByUser(userId)
      if (passkeys.length === 0) throw AuthErrors.mfa_unavailable({ detail: 'The account has no passkey: answer with a code', errors: [{ path: '/body/challengeId', message: 'belongs to an account without a passkey' }] })
      const challenge = await challenges.issue({ purpose: 'second-step', userId, mfaChallengeId: challengeId })
      return generateAuthenticationOptions({ rpID: rp.id, challenge: bytesOf(challenge), timeout: challenges.ttlSeconds * 1000, allowCredentials: passkeys.map(descriptor), userVerification: 'preferred' })
    },

    /**
     * The second step of a login answered with a passkey of the same user; each try counts against the challenge.
     * Refused (400 mfa_unavailable) for a login a passkey started: the challenge records it.
     */
    async secondStep (challengeId: string, response: AuthenticationResponseJSON, context: SessionContext & { requestId?: string | undefined }): Promise<TokenPair> {
      requireEnabled()
      return deps.mfa.answerChallenge(challengeId, async (userId) => {
        await asRejection(async () => {
          const { clientData, issued } = await precheck(response, 'second-step', 'webauthn.get')
          if (issued.mfaChallengeId !== challengeId || issued.userId !== userId) reject('challenge_invalid')
          const found = await store.findByCredentialId(response.id)
          if (!found || found.userId !== userId) reject('unknown_passkey')
          await verifyAssertion(response, clientData, found!, false)
        }, reason => refused(reason, response?.id))
      }, context.requestId, context, 'passkey')
    },

    async list (userId: string): Promise<PasskeyView[]> {
      return (await store.listByUser(userId)).map(viewOf)
    },

    async rename (userId: string, id: string, name: string): Promise<PasskeyView> {
      const renamed = await store.rename(userId, id, name)
      if (!renamed) throw KitErrors.not_found({ detail: 'No such passkey', errors: [{ path: '/params/id', message: 'is not a passkey of this account' }] })
      return viewOf(renamed)
    },

    async remove (userId: string, id: string): Promise<void> {
      await db.tx(async (tx) => {
        const removed = await store.remove(userId, id, tx)
        if (!removed) throw KitErrors.not_found({ detail: 'No such passkey', errors: [{ path: '/params/id', message: 'is not a passkey of this account' }] })
        await events.emit(tx, 'auth.passkey_removed', { userId, passkeyId: removed.id, name: removed.name }, userId)
      })
    }
  }
}

export type Passkeys = ReturnType<typeof createPasskeys>
