import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { AppError } from '@app/kit/errors'
import { createTokenVerifier } from '../src/token-verifier.ts'
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

  /** A verifier on a clock the test moves, with a revocation list the test fills. */
  function setUp (overrides: Partial<TokenVerifierOptions> = {}) {
    let clock = Date.now()
    const ended = new Set<string>()
    const verifier = createTokenVerifier({
      authUrl: () => fake.url, issuer: ISSUER, audience: AUDIENCE, maxLifetimeSeconds: 900, revocations: { isRevoked: sid => ended.has(sid) }, now: () => clock, ...overrides
    })
    return { verifier, ended, advance: (ms: number) => { clock += ms } }
  }

  it('refuses a remembered token as soon as its session is on the revocation list', async () => {
    const { verifier, ended } = setUp({ verifiedForMs: 600_000 })
    const token = await signToken(key, { claims: { sid: 's-revoked' } })
    assert.equal((await verifier.verify(token)).sid, 's-revoked')
    ended.add('s-revoked')
    await assert.rejects(verifier.verify(token), refusal(/session has ended/))
  })

  it('never accepts a remembered token past its expiry', async () => {
    const { verifier, advance } = setUp({ verifiedForMs: 600_000 })
    const token = await signToken(key, { expiresIn: '1s' })
    assert.equal((await verifier.verify(token)).sub, 'user-1')
    // Past `exp` and the 5 s allowed for clock skew.
    advance(8000)
    await assert.rejects(verifier.verify(token), (err: AppError) => err.status === 401 && err.code === 'token_expired' && /expired/.test(err.detail))
  })

  it('says token_expired only for a token every other rule takes: a forged or over-long expired one is unauthorized', async () => {
    const { verifier, advance } = setUp()
    const now = Math.floor(Date.now() / 1000)
    const good = await signToken(key, { claims: { iat: now - 600, exp: now + 60 } })
    const forged = await signToken(await newSigningKey(), { claims: { iat: now - 600, exp: now + 60 } })
    const overlong = await signToken(key, { claims: { iat: now - 3600, exp: now + 60 } })
    const foreign = await signToken(key, { claims: { iat: now - 600, exp: now + 60, aud: 'another-api' } })
    // Past `exp` and the 5 s allowed for clock skew.
    advance(70_000)
    await assert.rejects(verifier.verify(good), (err: AppError) => err.status === 401 && err.code === 'token_expired')
    for (const token of [forged, overlong, foreign]) await assert.rejects(verifier.verify(token), refusal(/invalid/))
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

describe('token verifier with no auth instance known yet', () => {
  it('starts, answers 503 while none is known, and verifies once one is', async () => {
    const key = await newSigningKey()
    const fake = await startFakeServices(() => ({ keys: [key.jwk] }))
    try {
      const known: { instance?: string } = {}
      // As an empty pool's pick() does (a DNS name that resolves to nothing yet).
      const authUrl = () => known.instance ?? assert.fail('no instance of auth is known')
      const verifier = createTokenVerifier({ authUrl, issuer: ISSUER, audience: AUDIENCE, maxLifetimeSeconds: 900, revocations: { isRevoked: () => false } })
      const token = await signToken(key)
      await assert.rejects(verifier.verify(token), (err: AppError) => err.code === 'unavailable')
      known.instance = fake.url
      assert.equal((await verifier.verify(token)).sub, 'user-1')
    } finally {
      await fake.close()
    }
  })
})
