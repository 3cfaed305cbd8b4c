/**
 * Passkeys against recorded WebAuthn responses (fixtures/passkeys.json, made
 * by test/e2e/passkeys.browser.e2e.test.ts with Chromium's virtual
 * authenticator: one credential, its registration and three sign-ins with
 * counters 2, 3 and 4). A test seeds the recorded challenge as if the options
 * route had issued it. The credential can be registered once at a time, so the
 * tests of this suite run in order; registering it again resets its counter.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { generate } from 'otplib'
import { callerHeadersFor, waitFor } from '@app/kit/testing'
import { createChallenges } from '../src/passkeys/challenges.ts'
import type { IssuedChallenge } from '../src/passkeys/challenges.ts'
import { createPasskeyStore } from '../src/passkeys/passkey-store.ts'
import { createPasskeys } from '../src/passkeys/passkeys.ts'
import type { RelyingParty } from '../src/passkeys/relying-party.ts'
import { useAuth } from './helper.ts'

interface Recorded { challenge: string, response: Record<string, any> }
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/passkeys.json', import.meta.url), 'utf8')) as {
  origin: string
  registration: Recorded
  assertions: Recorded[]
}
const [first, second, third] = fixtures.assertions as [Recorded, Recorded, Recorded]
const credentialId = fixtures.registration.response.id as string

describe('passkeys (recorded responses)', () => {
  const t = useAuth()
  const challenges = () => createChallenges(t.auth.ctx.cache, () => t.auth.ctx.now())
  const seed = (recorded: Recorded, issued: IssuedChallenge) => challenges().issue(issued, recorded.challenge)
  const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.auth.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
  const failures = (reason: string) => t.events.filter(e => e.type === 'auth.login_failed' && (e.data as { reason: string }).reason === reason)
  const passkeyLogins = () => t.events.filter(e => e.type === 'auth.login_succeeded' && (e.data as { method: string }).method === 'passkey')

  async function registerPasskey (userId: string): Promise<string> {
    await seed(fixtures.registration, { purpose: 'register', userId })
    const res = await inject('POST', '/api/v1/auth/passkeys/register', { ...fixtures.registration.response, name: 'Laptop' }, callerHeadersFor(userId))
    assert.equal(res.statusCode, 201, res.body)
    return res.json().id
  }

  /** Passkey sign-ins that succeeded so far in this suite: the events must match, no more. */
  let signedIn = 0
  const sessionsMatch = async () => {
    await waitFor(() => passkeyLogins().length >= signedIn)
    assert.equal(passkeyLogins().length, signedIn, 'no session started by a refused response')
  }

  async function refused (payload: object, reason: string) {
    const before = failures(reason).length
    const res = await inject('POST', '/api/v1/auth/passkeys/login', payload)
    assert.equal(res.statusCode, 400, res.body)
    assert.equal(res.json().code, 'passkey_rejected')
    assert.equal(res.json().reason, reason)
    assert.equal(res.json().accessToken, undefined)
    // Audited with the reason, and only a hash of the credential id.
    const event = await waitFor(() => failures(reason)[before])
    assert.equal((event.data as { method: string }).method, 'passkey')
    assert.doesNotMatch(JSON.stringify(event.data), new RegExp(credentialId))
    await sessionsMatch()
  }

  let owner: { id: string, email: string }
  let passkeyId: string
  /** The user the credential is registered to after the two-step test. */
  let current: { id: string, email: string }

  it('offers discoverable login options with a fresh challenge each time', async () => {
    const a = await inject('POST', '/api/v1/auth/passkeys/login/options')
    const b = await inject('POST', '/api/v1/auth/passkeys/login/options')
    assert.equal(a.statusCode, 200, a.body)
    assert.equal(a.json().rpId, 'localhost')
    assert.equal(a.json().allowCredentials?.length ?? 0, 0)
    assert.notEqual(a.json().challenge, b.json().challenge)
    assert.equal(Buffer.from(a.json().challenge, 'base64url').length, 32)
  })

  it('registers the recorded passkey for a signed-in user, with an event', async () => {
    owner = await t.register()
    const options = await inject('POST', '/api/v1/auth/passkeys/register/options', undefined, callerHeadersFor(owner.id))
    assert.equal(options.statusCode, 200, options.body)
    assert.equal(options.json().rp.id, 'localhost')
    assert.equal(Buffer.from(options.json().user.id, 'base64url').toString('utf8'), owner.id)
    assert.equal(options.json().authenticatorSelection.residentKey, 'required')
    passkeyId = await registerPasskey(owner.id)
    const listed = await inject('GET', '/api/v1/auth/passkeys', undefined, callerHeadersFor(owner.id))
    assert.deepEqual(listed.json().items.map((p: { id: string, name: string }) => [p.id, p.name]), [[passkeyId, 'Laptop']])
    const added = await waitFor(() => t.events.find(e => e.type === 'auth.passkey_added' && e.subject === owner.id))
    assert.deepEqual(added.data, { userId: owner.id, passkeyId, name: 'Laptop' })
    // Now the options exclude it, so the authenticator does not make a second one.
    const again = await inject('POST', '/api/v1/auth/passkeys/register/options', undefined, callerHeadersFor(owner.id))
    assert.deepEqual(again.json().excludeCredentials.map((c: { id: string }) => c.id), [credentialId])
  })

  it('refuses registration without a recent proof of identity, and a challenge issued to another user', async () => {
    const stale = callerHeadersFor(owner.id, ['user'], null, { authTime: Math.floor(Date.now() / 1000) - 3600 })
    const options = await inject('POST', '/api/v1/auth/passkeys/register/options', undefined, stale)
    assert.equal(options.statusCode, 403)
    assert.equal(options.json().code, 'reauth_required')
    const other = await t.register()
    await seed(fixtures.registration, { purpose: 'register', userId: owner.id })
    const res = await inject('POST', '/api/v1/auth/passkeys/register', fixtures.registration.response, callerHeadersFor(other.id))
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().reason, 'challenge_invalid')
  })

  it('signs in with the passkey alone: a token pair for the owner', async () => {
    await seed(first, { purpose: 'login' })
    const res = await inject('POST', '/api/v1/auth/passkeys/login', first.response)
    assert.equal(res.statusCode, 200, res.body)
    signedIn++
    const validation = await t.validate(res.json().accessToken)
    assert.equal(validation.sub, owner.id)
    await waitFor(() => passkeyLogins().find(e => e.subject === owner.id))
    const listed = await inject('GET', '/api/v1/auth/passkeys', undefined, callerHeadersFor(owner.id))
    assert.ok(listed.json().items[0].lastUsedAt)
  })

  it('refuses a replayed response: its challenge is spent, and with a new challenge its counter is old', async () => {
    await refused(first.response, 'challenge_invalid')
    await seed(first, { purpose: 'login' })
    await refused(first.response, 'counter_regressed')
  })

  it('refuses a forged signature, and the genuine response still works after', async () => {
    const signature = Buffer.from(second.response.response.signature, 'base64url')
    const last = signature.length - 1
    signature.writeUInt8(signature.readUInt8(last) ^ 0x01, last)
    await seed(second, { purpose: 'login' })
    await refused({ ...second.response, response: { ...second.response.response, signature: signature.toString('base64url') } }, 'signature_invalid')
    await seed(second, { purpose: 'login' })
    const res = await inject('POST', '/api/v1/auth/passkeys/login', second.response)
    assert.equal(res.statusCode, 200, res.body)
    signedIn++
  })

  it('refuses an expired challenge', async (ctx) => {
    await seed(third, { purpose: 'login' })
    const later = new Date(Date.now() + 301_000)
    ctx.mock.method(t.auth.ctx, 'now', () => later)
    await refused(third.response, 'challenge_invalid')
  })

  it('refuses a response to a challenge of another ceremony, and a malformed one', async () => {
    await seed(third, { purpose: 'register', userId: owner.id })
    await refused(third.response, 'challenge_invalid')
    const clientData = JSON.parse(Buffer.from(third.response.response.clientDataJSON, 'base64url').toString('utf8'))
    const created = Buffer.from(JSON.stringify({ ...clientData, type: 'webauthn.create' })).toString('base64url')
    await refused({ ...third.response, response: { ...third.response.response, clientDataJSON: created } }, 'invalid_response')
    const schema = await inject('POST', '/api/v1/auth/passkeys/login', { id: credentialId })
    assert.equal(schema.statusCode, 400)
    assert.equal(schema.json().code, 'validation_failed')
  })

  it('refuses a wrong origin and a wrong RP id (checked before anything else is trusted)', async () => {
    const ctx = t.auth.ctx
    const withRp = (rp: RelyingParty) => createPasskeys({
      db: ctx.db,
      store: createPasskeyStore(ctx.db),
      challenges: challenges(),
      rp,
      events: ctx.events,
      users: { getUser: async () => { throw new Error('not reached') } },
      mfa: { challengeFor: async () => undefined, openChallenge: async () => undefined, answerChallenge: async () => { throw new Error('not reached') } },
      startSession: async () => { throw new Error('not reached') },
      knownClients: { match: async () => { throw new Error('not reached') }, remember: async () => { throw new Error('not reached') } },
      secondSteps: { hold: async () => { throw new Error('not reached') } },
      now: () => ctx.now()
    })
    const reasonOf = async (work: Promise<unknown>) => {
      const err = await work.then(() => undefined, (e: unknown) => e as { code?: string, extra?: { reason?: string } })
      assert.equal(err?.code, 'passkey_rejected')
      return err.extra?.reason
    }
    await seed(third, { purpose: 'login' })
    assert.equal(await reasonOf(withRp({ id: 'localhost', name: 'x', enabled: true, allows: origin => origin === 'https://app.example.com' }).login(third.response as never, {})), 'origin_mismatch')
    await seed(third, { purpose: 'login' })
    assert.equal(await reasonOf(withRp({ id: 'example.com', name: 'x', enabled: true, allows: () => true }).login(third.response as never, {})), 'rp_id_mismatch')
  })

  it('renames and removes a passkey of the caller only; a removed passkey no longer signs in', async () => {
    const stranger = await t.register()
    assert.equal((await inject('PATCH', `/api/v1/auth/passkeys/${passkeyId}`, { name: 'Mine now' }, callerHeadersFor(stranger.id))).statusCode, 404)
    assert.equal((await inject('DELETE', `/api/v1/auth/passkeys/${passkeyId}`, undefined, callerHeadersFor(stranger.id))).statusCode, 404)
    const renamed = await inject('PATCH', `/api/v1/auth/passkeys/${passkeyId}`, { name: 'Work laptop' }, callerHeadersFor(owner.id))
    assert.equal(renamed.statusCode, 200, renamed.body)
    assert.equal(renamed.json().name, 'Work laptop')
    const removed = await inject('DELETE', `/api/v1/auth/passkeys/${passkeyId}`, undefined, callerHeadersFor(owner.id))
    assert.equal(removed.statusCode, 204, removed.body)
    const event = await waitFor(() => t.events.find(e => e.type === 'auth.passkey_removed' && e.subject === owner.id))
    assert.deepEqual(event.data, { userId: owner.id, passkeyId, name: 'Work laptop' })
    assert.deepEqual((await inject('GET', '/api/v1/auth/passkeys', undefined, callerHeadersFor(owner.id))).json().items, [])
    await seed(third, { purpose: 'login' })
    await refused(third.response, 'unknown_passkey')
  })

  it('with two-step login on: a user-verified passkey counts as both factors, and a passkey answers the password login\'s challenge', async () => {
    const user = current = await t.register()
    const setup = (await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp' }, callerHeadersFor(user.id))).json()
    const code = await generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) })
    assert.equal((await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp', otp: code }, callerHeadersFor(user.id))).statusCode, 200)
    // Registered again (to this user), the credential's counter starts over.
    await registerPasskey(user.id)

    await seed(first, { purpose: 'login' })
    const direct = await inject('POST', '/api/v1/auth/passkeys/login', first.response)
    assert.equal(direct.statusCode, 200, direct.body)
    assert.ok(direct.json().accessToken, 'user verification: no second step')
    signedIn++

    const challenge = (await t.post('/api/v1/auth/login', { email: user.email, password: 'correct horse battery' })).json()
    assert.equal(challenge.mfaRequired, true)
    assert.equal(challenge.passkey, true)
    const options = await inject('POST', '/api/v1/auth/mfa/passkey/options', { challengeId: challenge.challengeId })
    assert.equal(options.statusCode, 200, options.body)
    assert.deepEqual(options.json().allowCredentials.map((c: { id: string }) => c.id), [credentialId])
    // A challenge issued for this login's second step, answered with the recorded response.
    await seed(second, { purpose: 'second-step', userId: user.id, mfaChallengeId: challenge.challengeId })
    const passed = await inject('POST', '/api/v1/auth/mfa/passkey', { challengeId: challenge.challengeId, credential: second.response })
    assert.equal(passed.statusCode, 200, passed.body)
    assert.equal((await t.validate(passed.json().accessToken)).sub, user.id)
    const spent = await inject('POST', '/api/v1/auth/mfa/passkey/options', { challengeId: challenge.challengeId })
    assert.equal(spent.statusCode, 401)
    assert.equal(spent.json().code, 'mfa_challenge_invalid')
  })

  it('answers 400 mfa_unavailable for the passkey second step of an account without passkeys', async () => {
    const user = await t.register()
    const setup = (await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp' }, callerHeadersFor(user.id))).json()
    const code = await generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) })
    await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp', otp: code }, callerHeadersFor(user.id))
    const challenge = (await t.post('/api/v1/auth/login', { email: user.email, password: 'correct horse battery' })).json()
    assert.equal(challenge.passkey, undefined)
    const options = await inject('POST', '/api/v1/auth/mfa/passkey/options', { challengeId: challenge.challengeId })
    assert.equal(options.statusCode, 400)
    assert.equal(options.json().code, 'mfa_unavailable')
  })

  it('starts no session for a disabled account: 403 account_disabled', async () => {
    await t.user.ctx.db.query('update users set disabled_at = now() where id = $1', [current.id])
    await seed(third, { purpose: 'login' })
    const res = await inject('POST', '/api/v1/auth/passkeys/login', third.response)
    assert.equal(res.statusCode, 403, res.body)
    assert.equal(res.json().code, 'account_disabled')
    await sessionsMatch()
  })
})
