/**
 * What a passkey login leaves behind: the first factor recorded with the
 * login challenge (not only in the cache, which can lose it), a signature
 * counter that only moves up when genuine sign-ins race, and newDevice from
 * the networks the account logged in from, as for passwords and magic links.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generate } from 'otplib'
import { callerHeadersFor, waitFor } from '@app/kit/testing'
import type { CloudEvent } from '@app/kit/bus'
import { createChallenges } from '../src/passkeys/challenges.ts'
import { createPasskeyStore } from '../src/passkeys/passkey-store.ts'
import type { PasskeyStore } from '../src/passkeys/passkey-store.ts'
import { createPasskeys } from '../src/passkeys/passkeys.ts'
import { PASSWORD, useAuth } from './helper.ts'
import { softwareAuthenticator, storeSoftwarePasskey } from './software-authenticator.ts'

type Authenticator = ReturnType<typeof softwareAuthenticator>

describe('passkey logins: first factor, counter races, new devices', () => {
  const t = useAuth()
  let lastIp = 0
  /** A client address no test used before (an IPv4 address is its own network). */
  const freshIp = () => { lastIp++; return `203.0.${lastIp}.9` }
  const inject = (method: 'POST' | 'PUT', url: string, payload?: object, options: { headers?: Record<string, string>, ip?: string } = {}) =>
    t.auth.app.inject({ method, url, headers: options.headers ?? {}, ...(payload ? { payload } : {}), ...(options.ip ? { remoteAddress: options.ip } : {}) })
  const challenges = () => createChallenges(t.auth.ctx.cache, () => t.auth.ctx.now())

  /** A user holding a software passkey (stored as a registration would store it); `twoStep`: TOTP on, its recovery codes. */
  async function userWithPasskey (twoStep = false) {
    const user = await t.register()
    const { authenticator, passkeyId } = await storeSoftwarePasskey(t.auth.ctx.db, user.id)
    let recoveryCodes: string[] = []
    if (twoStep) {
      const setup = (await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp' }, { headers: callerHeadersFor(user.id) })).json()
      const on = await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp', otp: await generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) }) }, { headers: callerHeadersFor(user.id) })
      assert.equal(on.statusCode, 200, on.body)
      recoveryCodes = on.json().recoveryCodes
    }
    return { user, authenticator, passkeyId, recoveryCodes }
  }

  async function signIn (authenticator: Authenticator, userVerified: boolean, ip?: string) {
    const options = await inject('POST', '/api/v1/auth/passkeys/login/options')
    const res = await inject('POST', '/api/v1/auth/passkeys/login', authenticator.assert(options.json().challenge, { userVerified }), { ip })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  const loginsOf = (userId: string) => t.events.filter(e => e.type === 'auth.login_succeeded' && e.subject === userId)
  /** The login events of the user once there are `count`: their method and newDevice. */
  async function logins (userId: string, count: number) {
    const found = await waitFor(() => (loginsOf(userId).length >= count ? loginsOf(userId) : undefined))
    assert.equal(found.length, count)
    return found.map((e: CloudEvent) => {
      const data = e.data as { method: string, newDevice: boolean }
      return { method: data.method, newDevice: data.newDevice }
    })
  }

  describe('a login a passkey without user verification started', () => {
    it('records the passkey with the challenge, and refuses a passkey as its second step with the cache forgetting it', async () => {
      const { user, authenticator, passkeyId, recoveryCodes } = await userWithPasskey(true)
      const challenge = await signIn(authenticator, false)
      assert.equal(challenge.mfaRequired, true)
      assert.equal(challenge.passkey, undefined, 'no passkey offered for the second step')

      const { rows } = await t.auth.ctx.db.query<{ first_factor: string, first_passkey_id: string }>(
        'select first_factor, first_passkey_id from mfa_challenges where id = $1', [challenge.challengeId])
      assert.deepEqual(rows, [{ first_factor: 'passkey', first_passkey_id: passkeyId }])

      // A Redis blip or eviction, or another instance (its own memory) serving the second step: the cache has no marker.
      await t.auth.ctx.cache.delete(`auth:mfa-started-by-passkey:${challenge.challengeId}`)

      const options = await inject('POST', '/api/v1/auth/mfa/passkey/options', { challengeId: challenge.challengeId })
      assert.equal(options.statusCode, 400, options.body)
      assert.equal(options.json().code, 'mfa_unavailable')

      // Even with a second-step challenge at hand (as one issued before), the same authenticator without a PIN is refused.
      const issued = await challenges().issue({ purpose: 'second-step', userId: user.id, mfaChallengeId: challenge.challengeId })
      const answered = await inject('POST', '/api/v1/auth/mfa/passkey', { challengeId: challenge.challengeId, credential: authenticator.assert(issued, { userVerified: false }) })
      assert.equal(answered.statusCode, 400, answered.body)
      assert.equal(answered.json().code, 'mfa_unavailable')
      assert.equal(answered.json().accessToken, undefined)

      // A code still finishes it.
      const passed = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: recoveryCodes[0] })
      assert.equal(passed.statusCode, 200, passed.body)
      assert.equal((await t.validate(passed.json().accessToken)).sub, user.id)
      assert.deepEqual((await logins(user.id, 1)).map(l => l.method), ['mfa'])
    })

    it('leaves a password login of the same user free to use the passkey as its second step', async () => {
      const { user } = await userWithPasskey(true)
      const password = (await t.post('/api/v1/auth/login', { email: user.email, password: PASSWORD })).json()
      assert.equal(password.passkey, true)
      const { rows } = await t.auth.ctx.db.query<{ first_factor: string | null }>('select first_factor from mfa_challenges where id = $1', [password.challengeId])
      assert.deepEqual(rows, [{ first_factor: null }])
      assert.equal((await inject('POST', '/api/v1/auth/mfa/passkey/options', { challengeId: password.challengeId })).statusCode, 200)
    })
  })

  describe('the signature counter', () => {
    /**
     * The passkey store, with both sign-ins reading the stored passkey before either records its use, and the
     * uses recorded in `order` (of their new counters).
     */
    function racingStore (real: PasskeyStore, order: number[]): PasskeyStore {
      let reads = 0
      let release!: () => void
      const bothRead = new Promise<void>((resolve) => { release = resolve })
      const recorded = order.map(() => {
        let resolve!: () => void
        const done = new Promise<void>((_resolve) => { resolve = _resolve })
        return { done, resolve }
      })
      return {
        ...real,
        async findByCredentialId (credentialId: string) {
          const found = await real.findByCredentialId(credentialId)
          if (++reads === 2) release()
          await bothRead
          return found
        },
        async recordUse (...args: Parameters<PasskeyStore['recordUse']>) {
          const newCounter = args[args.length - 2] as number
          const turn = order.indexOf(newCounter)
          if (turn > 0) await recorded[turn - 1]!.done
          try {
            return await (real.recordUse as (...a: unknown[]) => Promise<boolean>)(...args)
          } finally {
            recorded[turn]!.resolve()
          }
        }
      }
    }

    function passkeysWith (store: PasskeyStore, email: string) {
      const ctx = t.auth.ctx
      return createPasskeys({
        db: ctx.db,
        store,
        challenges: challenges(),
        rp: { id: 'localhost', name: 'Gatehouse', enabled: true, allows: () => true },
        events: ctx.events,
        users: { getUser: async (id: string) => ({ id, roles: [], email }) },
        mfa: { challengeFor: async () => undefined, openChallenge: async () => undefined, answerChallenge: async () => { throw new Error('not reached') } },
        startSession: async user => ({ accessToken: `for ${user.id}`, refreshToken: 'r', tokenType: 'Bearer', expiresIn: 60 }),
        knownClients: { match: async () => ({}), remember: async () => {} },
        secondSteps: { hold: async () => {} },
        now: () => ctx.now()
      })
    }

    const counterOf = async (passkeyId: string) =>
      Number((await t.auth.ctx.db.query<{ counter: string }>('select counter from passkeys where id = $1', [passkeyId])).rows[0]!.counter)

    it('lets two concurrent sign-ins with increasing counters both through', async () => {
      const { user, authenticator, passkeyId } = await userWithPasskey()
      const passkeys = passkeysWith(racingStore(createPasskeyStore(t.auth.ctx.db), [1, 2]), user.email)
      const [a, b] = [await passkeys.loginOptions(), await passkeys.loginOptions()]
      // Counters 1 and 2, both checked against the stored 0; 1 is recorded first.
      const first = authenticator.assert(a.challenge, { userVerified: true })
      const second = authenticator.assert(b.challenge, { userVerified: true })
      const results = await Promise.allSettled([passkeys.login(first as never, {}), passkeys.login(second as never, {})])
      assert.deepEqual(results.map(r => r.status), ['fulfilled', 'fulfilled'], JSON.stringify(results))
      assert.equal(await counterOf(passkeyId), 2)
    })

    it('still refuses a counter that is not above the stored one: a clone, or a lower one recorded after a higher', async () => {
      const { user, authenticator, passkeyId } = await userWithPasskey()
      const passkeys = passkeysWith(racingStore(createPasskeyStore(t.auth.ctx.db), [2, 1]), user.email)
      const [a, b] = [await passkeys.loginOptions(), await passkeys.loginOptions()]
      const lower = authenticator.assert(a.challenge, { userVerified: true })
      const higher = authenticator.assert(b.challenge, { userVerified: true })
      const [low, high] = await Promise.allSettled([passkeys.login(lower as never, {}), passkeys.login(higher as never, {})])
      assert.equal(high!.status, 'fulfilled')
      assert.equal(low!.status, 'rejected')
      assert.equal(((low as PromiseRejectedResult).reason as { extra?: { reason?: string } }).extra?.reason, 'counter_regressed')
      assert.equal(await counterOf(passkeyId), 2)

      const store = createPasskeyStore(t.auth.ctx.db)
      assert.equal(await store.recordUse(passkeyId, 2, new Date()), false, 'the same counter again: a replay or a clone')
      assert.equal(await store.recordUse(passkeyId, 1, new Date()), false)
      assert.equal(await store.recordUse(passkeyId, 3, new Date()), true)
      assert.equal(await store.recordUse(passkeyId, 0, new Date()), false, 'a counter that fell back to 0')
    })

    it('does not hold an authenticator without a counter (always 0) to one', async () => {
      const { passkeyId } = await userWithPasskey()
      const store = createPasskeyStore(t.auth.ctx.db)
      assert.equal(await store.recordUse(passkeyId, 0, new Date()), true)
      assert.equal(await store.recordUse(passkeyId, 0, new Date()), true)
    })
  })

  describe('newDevice', () => {
    it('is true for a passkey sign-in from a network the account never logged in from, false from one it did', async () => {
      const { user, authenticator } = await userWithPasskey()
      const home = freshIp()
      await signIn(authenticator, true, home)
      await signIn(authenticator, false, home)
      await signIn(authenticator, true, freshIp())
      // A network a password login of the account came from is known to a passkey sign-in too.
      const office = freshIp()
      const password = await t.auth.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: PASSWORD }, remoteAddress: office })
      assert.equal(password.statusCode, 200, password.body)
      await signIn(authenticator, true, office)
      assert.deepEqual(await logins(user.id, 5), [
        { method: 'passkey', newDevice: true },
        { method: 'passkey', newDevice: false },
        { method: 'passkey', newDevice: true },
        { method: 'password', newDevice: true },
        { method: 'passkey', newDevice: false }
      ])
    })

    it('after a passkey login\'s second step: true from a new network, false once the network is known', async () => {
      const { user, authenticator, recoveryCodes } = await userWithPasskey(true)
      const home = freshIp()
      for (const code of recoveryCodes.slice(0, 2)) {
        const challenge = await signIn(authenticator, false, home)
        assert.equal(challenge.mfaRequired, true)
        const passed = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: code }, { ip: home })
        assert.equal(passed.statusCode, 200, passed.body)
      }
      assert.deepEqual(await logins(user.id, 2), [
        { method: 'mfa', newDevice: true },
        { method: 'mfa', newDevice: false }
      ])
    })
  })
})
