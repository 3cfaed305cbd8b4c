import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '@app/kit/config'
import { parseAllowedCountries } from '../src/fraud/country-allow-list.ts'
import { windowAt } from '../src/fraud/suspicion.ts'
import { smsTarget } from '../src/fraud/target.ts'

describe('otp abuse defences: the pieces', () => {
  it('reads OTP_SMS_ALLOWED_COUNTRIES: empty allows all, codes are case-insensitive, an unknown code is a ConfigError', () => {
    assert.equal(parseAllowedCountries(''), undefined)
    assert.deepEqual([...parseAllowedCountries(' us, gb ,DE')!], ['US', 'GB', 'DE'])
    assert.throws(() => parseAllowedCountries('US,UK'), (err: unknown) => err instanceof ConfigError && /UK/.test(err.message))
  })

  it('knows a number by its country, its prefix and a keyed hash, never by the number itself', () => {
    const key = Buffer.alloc(32, 7)
    const target = smsTarget('+14155550123', 3, key)
    assert.deepEqual({ country: target.country, prefix: target.prefix }, { country: 'US', prefix: '+14155550' })
    assert.equal(smsTarget('+4915123456789', 4, key).prefix, '+491512345')
    assert.equal(smsTarget('+4915123456789', 4, key).country, 'DE')
    assert.equal(smsTarget('+80012345678', 3, key).country, undefined)
    assert.notEqual(target.hash, smsTarget('+14155550124', 3, key).hash)
    assert.notEqual(target.hash, smsTarget('+14155550123', 3, Buffer.alloc(32, 8)).hash)
    assert.ok(!target.hash.includes('4155550123'))
  })

  it('counts in fixed windows of the injected clock, with the seconds left until the next', () => {
    assert.deepEqual(windowAt(new Date(3_600_000 * 5 + 1000), 3600), { bucket: 5, secondsLeft: 3599 })
    assert.deepEqual(windowAt(new Date(3_600_000 * 6 - 1), 3600), { bucket: 5, secondsLeft: 1 })
  })
})
