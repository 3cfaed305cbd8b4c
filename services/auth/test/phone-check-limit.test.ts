import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createMemoryCache } from '@app/kit/cache'
import { hasErrorCode } from '@app/kit/errors'
import { createPhoneCheckLimit } from '../src/phone-check-limit.ts'

describe('phone/check limit', () => {
  it('counts per client IP and per number in windows of the injected clock, and lets the next window through', async () => {
    let now = new Date('2030-01-01T00:00:00Z')
    const limit = createPhoneCheckLimit(createMemoryCache({ now: () => now.getTime() }), () => now, { perIp: 2, perNumber: 3, windowSeconds: 600 })
    await limit.admit('10.0.0.1', '+14155550101')
    await limit.admit('10.0.0.1', '+14155550102')
    const refused = await limit.admit('10.0.0.1', '+14155550103').catch((err: unknown) => err)
    assert.ok(hasErrorCode(refused, 'rate_limited'))
    assert.equal((refused as { headers: Record<string, string> }).headers['retry-after'], '600')
    await limit.admit('10.0.0.2', '+14155550101')
    await limit.admit('10.0.0.3', '+14155550101')
    assert.ok(hasErrorCode(await limit.admit('10.0.0.4', '+14155550101').catch((err: unknown) => err), 'rate_limited'))
    now = new Date(now.getTime() + 600_000)
    await limit.admit('10.0.0.1', '+14155550101')
  })
})
