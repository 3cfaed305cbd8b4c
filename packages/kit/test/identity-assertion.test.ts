import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { clientIp, createReplayGuard, createServer, requireCaller, requireRecentAuth, signIdentityAssertion } from '../src/http/index.ts'
import type { AssertedUser, App } from '../src/http/index.ts'
import { loadServiceKeys } from '../src/keys/index.ts'
import { createLogger } from '../src/log/index.ts'

const SECRET = 'identity-test-secret-0123456789abcdef'
const keys = loadServiceKeys({ SERVICE_SECRET: SECRET })
const nowSeconds = () => Math.floor(Date.now() / 1000)
const ada: AssertedUser = { sub: 'u-ada', roles: ['user'], sid: 's-1', authTime: nowSeconds() }

let sequence = 0
/** The headers the gateway sends: a request id and an assertion for it. */
function gatewayHeaders (options: { audience?: string, user?: AssertedUser | null, ip?: string, ttlSeconds?: number, at?: number, keyring?: typeof keys.identity } = {}) {
  const requestId = `req-${++sequence}`
  const assertion = signIdentityAssertion(options.keyring ?? keys.identity, {
    audience: options.audience ?? 'user',
    requestId,
    ip: options.ip ?? '203.0.113.9',
    user: options.user === undefined ? ada : options.user,
    ttlSeconds: options.ttlSeconds ?? 10
  }, options.at)
  return { 'x-request-id': requestId, 'x-identity-assertion': assertion }
}

describe('identity assertions: a service believes the gateway only for this request, for seconds', () => {
  const clock = { offsetMs: 0 }
  const lines: string[] = []
  let app: App
  let url: string

  before(async () => {
    const log = createLogger('info', undefined, new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } }))
    app = await createServer({ name: 'user', log, bodyLimit: 1024, keys, clock: () => Date.now() + clock.offsetMs })
    app.get('/api/v1/whoami', async (request) => ({ caller: request.caller, ip: clientIp(request) }))
    app.get('/api/v1/me', async (request) => requireCaller(request))
    app.post('/api/v1/sensitive', async (request) => requireRecentAuth(request, 300, new Date()))
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    assert.ok(address && typeof address === 'object')
    url = `http://127.0.0.1:${address.port}`
  })
  after(() => app.close())

  const call = async (headers: Record<string, string>, path = '/api/v1/whoami', method = 'GET') => {
    const res = await fetch(`${url}${path}`, { method, headers })
    return { status: res.status, body: await res.json() as Record<string, unknown> }
  }

  async function assertRefused (headers: Record<string, string>) {
    const res = await call(headers)
    assert.equal(res.status, 401)
    assert.equal(res.body.code, 'unauthorized')
  }

  it('accepts a valid assertion: the caller with its auth time, and the vouched client address', async () => {
    const res = await call(gatewayHeaders())
    assert.equal(res.status, 200)
    assert.deepEqual(res.body, { caller: { userId: 'u-ada', roles: ['user'], sessionId: 's-1', authTime: ada.authTime }, ip: '203.0.113.9' })
  })

  it('an anonymous request through the gateway has no caller but the vouched address; one without assertion the socket peer', async () => {
    assert.deepEqual((await call(gatewayHeaders({ user: null }))).body, { caller: null, ip: '203.0.113.9' })
    assert.deepEqual((await call({})).body, { caller: null, ip: '127.0.0.1' })
    assert.equal((await call({}, '/api/v1/me')).status, 401)
  })

  it('refuses a stale assertion', async () => {
    const headers = gatewayHeaders({ ttlSeconds: 10 })
    clock.offsetMs = 16_000
    try {
      await assertRefused(headers)
    } finally {
      clock.offsetMs = 0
    }
  })

  it('refuses an assertion issued in the future or living longer than 60 s', async () => {
    await assertRefused(gatewayHeaders({ at: Date.now() + 30_000 }))
    await assertRefused(gatewayHeaders({ ttlSeconds: 61 }))
  })

  it('refuses a foreign assertion: one the gateway made for another service', async () => {
    await assertRefused(gatewayHeaders({ audience: 'order' }))
  })

  it('refuses a replayed assertion', async () => {
    const headers = gatewayHeaders()
    assert.equal((await call(headers)).status, 200)
    await assertRefused(headers)
  })

  it('refuses an assertion for another request id', async () => {
    const headers = gatewayHeaders()
    await assertRefused({ ...headers, 'x-request-id': 'req-someone-else' })
    const { 'x-request-id': _, ...withoutId } = gatewayHeaders()
    await assertRefused(withoutId)
  })

  it('refuses a forged assertion: another key, an altered payload, garbage', async () => {
    const stranger = loadServiceKeys({ SERVICE_SECRET: 'another-secret-0123456789abcdef-xyz' })
    await assertRefused(gatewayHeaders({ keyring: stranger.identity }))
    const headers = gatewayHeaders()
    const [type, kid, payload, mac] = headers['x-identity-assertion'].split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const admin = Buffer.from(JSON.stringify({ ...claims, roles: ['user', 'admin'] })).toString('base64url')
    await assertRefused({ ...headers, 'x-identity-assertion': [type, kid, admin, mac].join('.') })
    await assertRefused({ ...gatewayHeaders(), 'x-identity-assertion': 'garbage' })
  })

  it('ignores the old x-user-* and x-client-ip headers', async () => {
    const res = await call({ 'x-user-id': 'u-admin', 'x-user-roles': 'admin', 'x-client-ip': '198.51.100.1' })
    assert.deepEqual(res.body, { caller: null, ip: '127.0.0.1' })
  })

  it('logs a refusal with its reason, never the assertion', async () => {
    const headers = gatewayHeaders({ audience: 'order' })
    const from = lines.length
    await assertRefused(headers)
    const written = lines.slice(from).join('')
    assert.match(written, /identity assertion refused/)
    assert.match(written, /foreign audience/)
    for (const part of headers['x-identity-assertion'].split('.').slice(2)) assert.ok(!written.includes(part), 'no part of the assertion is logged')
  })

  describe('requireRecentAuth', () => {
    const sensitive = (user: AssertedUser | null) => call(gatewayHeaders({ user }), '/api/v1/sensitive', 'POST')

    it('lets a session that proved itself within the window through', async () => {
      assert.equal((await sensitive({ ...ada, authTime: nowSeconds() - 299 })).status, 200)
    })

    it('answers 403 reauth_required for an older proof or none known, 401 when anonymous', async () => {
      for (const authTime of [nowSeconds() - 301, null]) {
        const res = await sensitive({ ...ada, authTime })
        assert.equal(res.status, 403)
        assert.equal(res.body.code, 'reauth_required')
      }
      assert.equal((await sensitive(null)).status, 401)
    })
  })
})

describe('replay guard', () => {
  it('forgets ids once they expire, and the oldest when full rather than refusing traffic', () => {
    const guard = createReplayGuard(3)
    assert.equal(guard.firstUse('a', 100, 90), true)
    assert.equal(guard.firstUse('a', 100, 95), false)
    assert.equal(guard.firstUse('b', 101, 95), true)
    assert.equal(guard.firstUse('c', 102, 95), true)
    assert.equal(guard.firstUse('d', 103, 95), true, 'full: a is forgotten')
    assert.equal(guard.size, 3)
    assert.equal(guard.firstUse('e', 200, 150), true, 'b, c and d expired long ago')
    assert.equal(guard.size, 1)
  })
})
