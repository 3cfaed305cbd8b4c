import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '@app/kit/config'
import { parseRateLimits, rateLimitRules } from '../src/rate-limit-rules.ts'

describe('GATEWAY_RATE_LIMITS', () => {
  it('reads rate, unit and burst per scope, and keeps the defaults of scopes it does not name', () => {
    const rules = rateLimitRules('global=5000/s burst 10000; ip=10/s burst 600;user=20/s burst 1200 ; group.sensitive=20/min burst 5; group.admin=30/h')
    assert.deepEqual(rules.global, { ratePerSecond: 5000, burst: 10_000 })
    assert.deepEqual(rules.ip, { ratePerSecond: 10, burst: 600 })
    assert.deepEqual(rules.user, { ratePerSecond: 20, burst: 1200 })
    assert.deepEqual(rules.groups.sensitive, { ratePerSecond: 20 / 60, burst: 5 })
    // Without a burst, a bucket holds one unit's worth.
    assert.deepEqual(rules.groups.admin, { ratePerSecond: 30 / 3600, burst: 30 })
    assert.deepEqual(rateLimitRules('ip=2/min').groups.sensitive, { ratePerSecond: 20 / 60, burst: 20 })
  })

  it('has no global limit by default, the old per-minute limits as buckets, and turns a scope off with `off`', () => {
    const rules = rateLimitRules('')
    assert.equal(rules.global, undefined)
    assert.deepEqual(rules.ip, { ratePerSecond: 10, burst: 600 })
    assert.deepEqual(rules.user, { ratePerSecond: 20, burst: 1200 })
    assert.deepEqual(rules.groups, { sensitive: { ratePerSecond: 20 / 60, burst: 20 } })
    const off = rateLimitRules('ip=off; group.sensitive=off')
    assert.equal(off.ip, undefined)
    assert.equal(off.groups.sensitive, undefined)
  })

  it('still honours the deprecated per-minute variables that are set, under GATEWAY_RATE_LIMITS', () => {
    const rules = rateLimitRules('user=1/s burst 7', {
      GATEWAY_RATE_LIMIT_PER_MINUTE: 40,
      GATEWAY_RATE_LIMIT_BURST: 5,
      GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: 3,
      GATEWAY_USER_RATE_LIMIT_PER_MINUTE: 2
    })
    assert.deepEqual(rules.ip, { ratePerSecond: 40 / 60, burst: 45 })
    assert.deepEqual(rules.groups.sensitive, { ratePerSecond: 3 / 60, burst: 3 })
    assert.deepEqual(rules.user, { ratePerSecond: 1, burst: 7 })
  })

  it('refuses bad input at start-up with a ConfigError naming the variable', () => {
    for (const [text, problem] of [
      ['ip=10', /GATEWAY_RATE_LIMITS: "ip=10" is not scope=rate\/unit/],
      ['ip=10/s burst', /is not scope=rate\/unit/],
      ['client=10/s', /is not scope=rate\/unit/],
      ['ip=10/week', /unknown unit "week"/],
      ['ip=0/s', /the rate in "ip=0\/s" must be above 0/],
      ['ip=1/s burst 0', /the burst in "ip=1\/s burst 0" must be 1 to/],
      ['group.vip=1/s', /unknown route group "vip" \(one of sensitive, account, admin/],
      ['ip=1/s; ip=2/s', /ip is given twice/]
    ] as const) {
      assert.throws(() => parseRateLimits(text, { groups: {} }), (err: unknown) => {
        assert.ok(err instanceof ConfigError, text)
        assert.match(err.message, problem)
        return true
      })
    }
  })
})
