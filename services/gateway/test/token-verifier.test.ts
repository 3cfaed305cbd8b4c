import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createMemoryCache } from '@app/kit/cache'
import type { Cache } from '@app/kit/cache'
import type { AppError } from '@app/kit/errors'
import { createTokenVerifier, revokedSessionKey } from '../src/token-verifier.ts'
import type { TokenVerifierOptions } from '../src/token-verifier.ts'
import { AUDIENCE, ISSUER, newSigningKey, signToken, startFakeServices } from './helper.ts'

const refusal = (detail: RegExp) => (err: AppError) => err.code === 'unauthorized' && detail.test(err.detail)

describe('token verifier: what it remembers between requests', () => {
  let key: Awaited<ReturnType<typeof newSigningKey>>
  let fake: Awaited<ReturnType<typeof startFakeServices>>
  before(async () => {
    key = await newSigningKey()
    fake = await startFakeServices(() => ({ keys: [key.jwk] }))
  })
  after(() => fake.close())

  /** A verifier on a clock the test moves, and a count of revocation lookups. */
  function setUp (overrides: Partial<TokenVerifierOptions> = {}) {
    let clock = Date.now()
    let lookups = 0
    const memory = createMemoryCache()
    const cache: Cache = { ...memory, get: (k) => { lookups++; return memory.get(k) } }
    const verifier = createTokenVerifier({
      authUrl: () => fake.url, issuer: ISSUER, audience: AUDIENCE, cache, warn: () => {}, now: () => clock, ...overrides
    })
    return { verifier, memory, advance: (ms: number) => { clock += ms }, lookups: () => lookups }
  }

  it('reads a session\'s revocation once a second at most, and refuses the session once that second is over', async () => {
    const { verifier, memory, advance, lookups } = setUp()
    const token = await signToken(key, { claims: { sid: 's-revoked' } })
    await Promise.all([verifier.verify(token), verifier.verify(token)])
    await verifier.verify(token)
    assert.equal(lookups(), 1)
    await memory.set(revokedSessionKey('s-revoked'), '1', 60)
    assert.equal((await verifier.verify(token)).sid, 's-revoked', 'still within the second')
    advance(1001)
    await assert.rejects(verifier.verify(token), refusal(/session has ended/))
    assert.equal(lookups(), 2)
  })

  it('never accepts a remembered token past its expiry', async () => {
    const { verifier, advance } = setUp({ verifiedForMs: 600_000 })
    const token = await signToken(key, { expiresIn: '1s' })
    assert.equal((await verifier.verify(token)).sub, 'user-1')
    // Past `exp` and the 5 s allowed for clock skew.
    advance(8000)
    await assert.rejects(verifier.verify(token), refusal(/expired/))
  })

  it('remembers the exact token only: another signature on the same claims is checked and refused', async () => {
    const { verifier } = setUp()
    const token = await signToken(key)
    await verifier.verify(token)
    const [header, payload] = token.split('.')
    const forged = `${header}.${payload}.${Buffer.alloc(64, 7).toString('base64url')}`
    await assert.rejects(verifier.verify(forged), refusal(/invalid/))
    assert.equal((await verifier.verify(token)).sub, 'user-1')
  })
})
