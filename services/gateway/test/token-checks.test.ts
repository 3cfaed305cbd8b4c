import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ACCESS_TOKEN_REFUSALS, refusalToken } from '@app/kit/tokens'
import type { GoodTokenParts } from '@app/kit/tokens'
import { isAppError } from '@app/kit/errors'
import { createTokenVerifier } from '../src/token-verifier.ts'
import { AUDIENCE, ISSUER, newSigningKey, startFakeServices } from './helper.ts'

describe('the gateway\'s token verifier makes the one token check /validate makes', () => {
  let key: Awaited<ReturnType<typeof newSigningKey>>
  let fake: Awaited<ReturnType<typeof startFakeServices>>
  before(async () => {
    key = await newSigningKey()
    fake = await startFakeServices(() => ({ keys: [key.jwk] }))
  })
  after(() => fake.close())

  const verifier = () => createTokenVerifier({
    authUrl: () => fake.url, issuer: ISSUER, audience: AUDIENCE, maxLifetimeSeconds: 900, revocations: { isRevoked: () => false }
  })
  const parts = (): GoodTokenParts => ({
    privateKey: key.privateKey,
    kid: key.kid,
    publicKeyBytes: Buffer.from(String(key.jwk.x), 'base64url'),
    issuer: ISSUER,
    audience: AUDIENCE,
    claims: { sub: 'user-1', sid: 'session-1', roles: ['user'], auth_time: Math.floor(Date.now() / 1000) - 60 },
    lifetimeSeconds: 900,
    now: new Date()
  })

  it('accepts a good token and passes on its auth_time (the control)', async () => {
    const good = parts()
    const identity = await verifier().verify(await refusalToken({ name: 'good' }, good))
    assert.deepEqual(identity, { sub: 'user-1', sid: 'session-1', roles: ['user'], authTime: good.claims.auth_time })
  })

  it('names authTime 0 for a token without auth_time (no proof to vouch for)', async () => {
    const identity = await verifier().verify(await refusalToken({ name: 'no auth_time', claims: { auth_time: null } }, parts()))
    assert.equal(identity.authTime, 0)
  })

  // Only a token that was good and is past its exp says `token_expired` (the client refreshes on
  // either code); the shared case's auth_time (a minute ago) is after its iat, so it must not.
  for (const refusal of ACCESS_TOKEN_REFUSALS) {
    it(`refuses ${refusal.name} with 401 unauthorized`, async () => {
      const token = await refusalToken(refusal, parts())
      await assert.rejects(verifier().verify(token), err => isAppError(err) && err.status === 401 && err.code === 'unauthorized')
    })
  }

  it('refuses a token that was good and is past its exp with 401 token_expired', async () => {
    const expired = ACCESS_TOKEN_REFUSALS.find(c => c.name === 'expired')!
    const good = parts()
    const token = await refusalToken(expired, { ...good, claims: { ...good.claims, auth_time: Math.floor(Date.now() / 1000) - 2000 } })
    await assert.rejects(verifier().verify(token), err => isAppError(err) && err.status === 401 && err.code === 'token_expired' && /expired/.test(err.detail))
  })
})
