import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { useGateway } from './helper.ts'

// What scanners probe: unknown paths, an internal route, an unknown API version, a route no policy names.
const PROBES = ['/wp-login.php', '/internal/users/lookup', '/api/v9/users/me', '/api/v1/users/me/secrets']

describe('unknown paths spend from the per-IP bucket', () => {
  const gw = useGateway({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1,::1', GATEWAY_RATE_LIMITS: 'ip=3/h burst 3; global=off' })
  const from = (ip: string) => ({ 'x-forwarded-for': ip })

  it('answers a client probing unknown paths 404 until its per-IP bucket is empty, then 429, while another client still gets its 404', async () => {
    for (const [i, path] of PROBES.slice(0, 3).entries()) {
      const res = await gw.call(path, from('203.0.113.1'))
      assert.equal(res.status, 404, path)
      assert.equal(res.body.code, 'not_found')
      assert.equal(res.headers.get('ratelimit-limit'), '3')
      assert.equal(res.headers.get('ratelimit-remaining'), String(2 - i))
    }
    const refused = await gw.call(PROBES[3]!, from('203.0.113.1'))
    assert.equal(refused.status, 429)
    assert.match(String(refused.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(refused.body.code, 'rate_limited')
    assert.ok(Number(refused.headers.get('retry-after')) > 0)
    const other = await gw.call(PROBES[3]!, from('203.0.113.2'))
    assert.equal(other.status, 404)
    assert.equal(other.body.code, 'not_found')
    assert.deepEqual(gw.fake.seen.filter(s => PROBES.some(p => s.url.startsWith(p))), [], 'no probe reached a service')
  })
})

describe('unknown paths spend from the global bucket', () => {
  const gw = useGateway({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1,::1', GATEWAY_RATE_LIMITS: 'ip=off; global=2/h burst 2' })

  it('answers 429 once probes from anywhere have emptied the global bucket, on real routes too', async () => {
    assert.equal((await gw.call(PROBES[0]!, { 'x-forwarded-for': '203.0.113.1' })).status, 404)
    assert.equal((await gw.call(PROBES[1]!, { 'x-forwarded-for': '203.0.113.2' })).status, 404)
    const refused = await gw.call(PROBES[2]!, { 'x-forwarded-for': '203.0.113.3' })
    assert.equal(refused.status, 429)
    assert.equal(refused.body.code, 'rate_limited')
    assert.equal((await gw.call('/.well-known/jwks.json', { 'x-forwarded-for': '203.0.113.4' })).status, 429)
  })
})
