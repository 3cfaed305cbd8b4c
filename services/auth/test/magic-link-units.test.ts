import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createMemoryCache } from '@app/kit/cache'
import { coarseNetwork, describeAgent } from '../src/magic-links/client-info.ts'
import { createRequestLimit } from '../src/magic-links/request-limit.ts'

describe('magic links: what the other-device page says about the requester', () => {
  it('names the browser and system, no finer', () => {
    assert.equal(describeAgent('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'), 'Firefox on Linux')
    assert.equal(describeAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36'), 'Chrome on macOS')
    assert.equal(describeAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0'), 'Edge on Windows')
    assert.equal(describeAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'), 'Safari on iOS')
    assert.equal(describeAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36'), 'Chrome on Android')
    assert.equal(describeAgent('curl/8.5.0'), 'curl')
    assert.equal(describeAgent(undefined), 'an unknown browser')
    assert.equal(describeAgent('<script>'), 'an unknown browser')
  })

  it('shows the network as an IPv4 /24 or an IPv6 /48', () => {
    assert.equal(coarseNetwork('203.0.113.77'), '203.0.113.0/24')
    assert.equal(coarseNetwork('::ffff:198.51.100.9'), '198.51.100.0/24')
    assert.equal(coarseNetwork('2001:db8:1234:5678::1'), '2001:db8:1234::/48')
    assert.equal(coarseNetwork('2001:db8::1'), '2001:db8:0::/48')
    assert.equal(coarseNetwork('::1'), '0:0:0::/48')
    assert.equal(coarseNetwork('not an ip'), 'an unknown network')
  })
})

describe('magic links: requests per client network', () => {
  it('admits the hourly allowance, then 429 with Retry-After until the clock hour ends', async () => {
    let clock = Date.parse('2026-12-01T10:59:00Z')
    const now = () => new Date(clock)
    const limit = createRequestLimit(createMemoryCache({ now: () => clock }), now, 3)
    for (let i = 0; i < 3; i++) await limit.admit('203.0.113.7')
    await assert.rejects(limit.admit('203.0.113.7'), (err: { status: number, code: string, headers: Record<string, string> }) => {
      assert.equal(err.status, 429)
      assert.equal(err.code, 'rate_limited')
      assert.equal(err.headers['retry-after'], '60')
      assert.equal(err.headers['ratelimit-limit'], '3')
      return true
    })
    // Another client is not held back by it.
    await limit.admit('198.51.100.1')
    clock += 60_000
    await limit.admit('203.0.113.7')
  })
})
