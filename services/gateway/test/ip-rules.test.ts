import { request } from 'node:http'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '@app/kit/config'
import { createIpCheck, parseIpRules } from '../src/ip-rules.ts'
import { signToken, useGateway } from './helper.ts'

function problemsOf (value: string): string[] {
  try {
    parseIpRules(value)
  } catch (err) {
    assert.ok(err instanceof ConfigError)
    return err.problems
  }
  assert.fail(`${value} was accepted`)
}

/** A request whose TCP peer is `localAddress` (any 127.x address reaches the gateway on 127.0.0.1). */
function callFrom (localAddress: string, base: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number, body: any }>((resolve, reject) => {
    const { hostname, port } = new URL(base)
    const req = request({ hostname, port, path, headers, localAddress }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('IP allow and deny lists per route group', () => {
  it('reads GATEWAY_IP_RULES, and refuses a bad one naming the variable and every problem', () => {
    const check = createIpCheck(parseIpRules(' admin=allow:10.0.0.0/8, 192.168.1.7 ; admin=deny:10.6.6.0/24; api=deny:203.0.113.0/24,2001:db8::/32 '))
    assert.equal(check('admin', '10.1.2.3'), true)
    assert.equal(check('admin', '::ffff:10.1.2.3'), true, 'an IPv4 peer as a dual-stack socket reports it')
    assert.equal(check('admin', '192.168.1.7'), true)
    assert.equal(check('admin', '192.168.1.8'), false, 'outside the allow list')
    assert.equal(check('admin', '10.6.6.6'), false, 'inside the allow list but denied')
    assert.equal(check('admin', '2001:db8::1'), false)
    assert.equal(check('api', '203.0.113.77'), false)
    assert.equal(check('api', '2001:db8::1'), false)
    assert.equal(check('api', '198.51.100.1'), true)
    assert.equal(check('sensitive', '203.0.113.77'), true, 'a group without rules is open')

    const problems = problemsOf('admin=allow:10.0.0.0/33;bogus=deny:1.2.3.4;api=block:1.2.3.4;api=deny:;docs=deny:1.2.3.4;docs=deny:5.6.7.8;dev=allow:not-an-ip')
    assert.equal(problems.length, 6, problems.join('\n'))
    assert.ok(problems.every(p => p.startsWith('GATEWAY_IP_RULES: ')), problems.join('\n'))
    assert.match(problems.join('\n'), /"10\.0\.0\.0\/33" \(admin\) is not an IP address or CIDR range/)
    assert.match(problems.join('\n'), /"bogus" is no route group/)
    assert.match(problems.join('\n'), /docs=deny is given twice/)
  })

  describe('through the gateway, honouring GATEWAY_TRUSTED_PROXIES', () => {
    // 127.0.0.1 is a trusted proxy: its X-Forwarded-For is believed. 127.0.0.2 is not: its own address counts.
    const gw = useGateway({
      GATEWAY_TRUSTED_PROXIES: '127.0.0.1',
      GATEWAY_IP_RULES: 'admin=allow:10.0.0.0/8,127.0.0.2;api=deny:203.0.113.0/24'
    })
    const reached = (path: string) => gw.fake.seen.some(s => s.url === path)

    it('lets an admin route through only from the allowed ranges, as the trusted proxy reports the client', async () => {
      const admin = { authorization: `Bearer ${await signToken(gw.key, { claims: { sub: 'u-9', roles: ['user', 'admin'] } })}` }
      const allowed = await callFrom('127.0.0.1', gw.gateway.url, '/api/v1/audit/events?n=1', { ...admin, 'x-forwarded-for': '10.1.2.3' })
      assert.equal(allowed.status, 200)
      assert.ok(reached('/api/v1/audit/events?n=1'))

      const refused = await callFrom('127.0.0.1', gw.gateway.url, '/api/v1/audit/events?n=2', { ...admin, 'x-forwarded-for': '10.1.2.3, 198.51.100.7' })
      assert.equal(refused.status, 403)
      assert.equal(refused.body.code, 'forbidden')
      assert.match(refused.body.detail, /network address/)
      // Checked before the token: an anonymous request from there learns nothing more.
      const anonymous = await callFrom('127.0.0.1', gw.gateway.url, '/api/v1/audit/events?n=3', { 'x-forwarded-for': '198.51.100.7' })
      assert.equal(anonymous.status, 403)

      // Not a trusted proxy: its X-Forwarded-For is ignored and its own address is allowed.
      const direct = await callFrom('127.0.0.2', gw.gateway.url, '/api/v1/audit/events?n=4', { ...admin, 'x-forwarded-for': '198.51.100.7' })
      assert.equal(direct.status, 200)
      assert.ok(reached('/api/v1/audit/events?n=4'))
      assert.ok(!reached('/api/v1/audit/events?n=2') && !reached('/api/v1/audit/events?n=3'), 'refused requests never reach the service')
    })

    it('cannot be stepped around with a `#`, where Fastify ends the path', async () => {
      const admin = { authorization: `Bearer ${await signToken(gw.key, { claims: { sub: 'u-9', roles: ['user', 'admin'] } })}` }
      for (const path of ['/api/v1/audit/events#n=6', '/api/v1/audit#/events']) {
        const res = await callFrom('127.0.0.1', gw.gateway.url, path, { ...admin, 'x-forwarded-for': '198.51.100.7' })
        assert.equal(res.status, 404, path)
        assert.equal(res.body.code, 'not_found')
        assert.ok(!reached(path), `${path} reached the service`)
      }
    })

    it('refuses a denied range on its group only, and an untrusted peer cannot pretend to be elsewhere', async () => {
      const user = { authorization: `Bearer ${await signToken(gw.key, { claims: { sub: 'u-1', roles: ['user'] } })}` }
      const denied = await callFrom('127.0.0.1', gw.gateway.url, '/api/v1/users/u-2?n=1', { ...user, 'x-forwarded-for': '203.0.113.9' })
      assert.equal(denied.status, 403)
      // The same client on a route of another group (account).
      assert.equal((await callFrom('127.0.0.1', gw.gateway.url, '/api/v1/users/me?n=1', { ...user, 'x-forwarded-for': '203.0.113.9' })).status, 200)
      // Claiming a denied address from an untrusted peer changes nothing: its own address counts.
      assert.equal((await callFrom('127.0.0.2', gw.gateway.url, '/api/v1/users/u-2?n=2', { ...user, 'x-forwarded-for': '203.0.113.9' })).status, 200)
      // And an untrusted peer cannot claim an allowed range for the admin group.
      const admin = { authorization: `Bearer ${await signToken(gw.key, { claims: { sub: 'u-9', roles: ['user', 'admin'] } })}` }
      assert.equal((await callFrom('127.0.0.3', gw.gateway.url, '/api/v1/audit/events?n=5', { ...admin, 'x-forwarded-for': '10.1.2.3' })).status, 403)
      assert.ok(!reached('/api/v1/users/u-2?n=1') && reached('/api/v1/users/u-2?n=2'))
    })
  })
})
