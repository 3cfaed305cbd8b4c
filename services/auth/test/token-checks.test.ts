import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeJwt } from 'jose'
import { ACCESS_TOKEN_REFUSALS, refusalToken } from '@app/kit/tokens'
import type { GoodTokenParts } from '@app/kit/tokens'
import { createKeyring } from '../src/signing-keys.ts'
import { useAuth } from './helper.ts'

describe('POST /api/v1/auth/validate makes the one token check the gateway makes', () => {
  const svc = useAuth()

  /** What a token of a live session signed with the service's own key holds. */
  async function goodParts (): Promise<Omit<GoodTokenParts, 'now'>> {
    const { id, email } = await svc.register()
    const { accessToken } = await svc.login(email)
    const keys = createKeyring(svc.auth.ctx.db, undefined)
    const { kid, key } = await keys.signingKey()
    const published = (await keys.publicKeys()).find(k => k.kid === kid)!
    return {
      privateKey: key,
      kid,
      publicKeyBytes: Buffer.from(published.x, 'base64url'),
      issuer: 'gatehouse',
      audience: 'gatehouse-api',
      claims: { sub: id, sid: String(decodeJwt(accessToken).sid), roles: ['user'], auth_time: Math.floor(Date.now() / 1000) },
      lifetimeSeconds: 900
    }
  }

  it('accepts a token made by the test as the service makes them (the control)', async () => {
    const parts = await goodParts()
    const token = await refusalToken({ name: 'good' }, { ...parts, now: new Date() })
    assert.equal((await svc.validate(token)).valid, true)
  })

  for (const refusal of ACCESS_TOKEN_REFUSALS) {
    it(`refuses ${refusal.name}`, async () => {
      const parts = await goodParts()
      const token = await refusalToken(refusal, { ...parts, now: new Date() })
      assert.deepEqual(await svc.validate(token), { valid: false })
    })
  }
})
