import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { createServiceClient } from '../src/client/index.ts'
import { isAppError } from '../src/errors/index.ts'
import { checkInternalCredential, createServer, internalCredential } from '../src/http/index.ts'
import type { App } from '../src/http/index.ts'
import { loadServiceKeys, signClaims } from '../src/keys/index.ts'
import type { ServiceKeys } from '../src/keys/index.ts'
import { createLogger } from '../src/log/index.ts'

const OLD = 'internal-old-secret-0123456789abcdef'
const NEW = 'internal-new-secret-0123456789abcdef'

/** Log lines the server wrote, as text. */
function logSink () {
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } })
  return { lines, log: createLogger('info', undefined, stream) }
}

/** A service named `name` with one internal route, listening on a real port. */
async function startService (name: string, keys: ServiceKeys, clock: () => number = Date.now) {
  const sink = logSink()
  const app: App = await createServer({ name, log: sink.log, bodyLimit: 1024, keys, clock })
  app.get('/internal/ping', async () => ({ pong: name }))
  app.post('/internal/x', async () => ({ route: 'x' }))
  app.post('/internal/y', async () => ({ route: 'y' }))
  app.get('/internal/x', async () => ({ route: 'get x' }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  assert.ok(address && typeof address === 'object')
  return { app, url: `http://127.0.0.1:${address.port}`, logs: sink.lines }
}

describe('internal calls carry a short-lived credential naming caller and callee', () => {
  const clock = { at: Date.now() }
  const keys = loadServiceKeys({ INTERNAL_AUTH_KEYS: `k1:${OLD}` })
  let user: Awaited<ReturnType<typeof startService>>
  let audit: Awaited<ReturnType<typeof startService>>

  before(async () => {
    user = await startService('user', keys, () => clock.at)
    audit = await startService('audit', keys, () => clock.at)
  })
  after(async () => {
    await user.app.close()
    await audit.app.close()
  })

  const get = (url: string, token: string) => fetch(`${url}/internal/ping`, { headers: { 'x-service-token': token } })
  const PING = { method: 'GET', path: '/internal/ping' }

  it('the service client signs each call for its callee, which accepts it', async () => {
    const client = createServiceClient({ baseUrls: [user.url], credential: { keyring: keys.internal, caller: 'order', callee: 'user' }, timeoutMs: 2000 })
    try {
      assert.deepEqual(await client.call('GET', '/internal/ping'), { pong: 'user' })
    } finally {
      client.close()
    }
  })

  it('refuses a credential made for another service: a callee cannot replay it against a third', async () => {
    const forAudit = internalCredential({ keyring: keys.internal, caller: 'order', callee: 'audit' }, PING)
    assert.equal((await get(audit.url, forAudit)).status, 200)
    const replayed = await get(user.url, forAudit)
    assert.equal(replayed.status, 401)
    assert.equal(((await replayed.json()) as { code: string }).code, 'unauthorized')
  })

  it('refuses an expired credential, with a few seconds of clock skew', async () => {
    const issuedAt = clock.at
    const sign = () => internalCredential({ keyring: keys.internal, caller: 'order', callee: 'user' }, PING, issuedAt)
    try {
      clock.at = issuedAt + 34_000
      assert.equal((await get(user.url, sign())).status, 200, 'within its 30 s and the skew')
      clock.at = issuedAt + 37_000
      assert.equal((await get(user.url, sign())).status, 401)
    } finally {
      clock.at = issuedAt
    }
  })

  it('refuses a credential from the future or living longer than 60 s', () => {
    const now = Date.now()
    assert.deepEqual(checkInternalCredential(internalCredential({ keyring: keys.internal, caller: 'a', callee: 'user' }, PING, now + 60_000), keys.internal, 'user', now), { ok: false, reason: 'issued in the future' })
    assert.deepEqual(checkInternalCredential('not.a.token', keys.internal, 'user', now), { ok: false, reason: 'malformed' })
    assert.deepEqual(checkInternalCredential(undefined, keys.internal, 'user', now), { ok: false, reason: 'missing' })
  })

  it('refuses the old shared secret and a credential signed with a key it does not know', async () => {
    assert.equal((await get(user.url, OLD)).status, 401)
    const stranger = loadServiceKeys({ INTERNAL_AUTH_KEYS: `k1:${NEW}` })
    assert.equal((await get(user.url, internalCredential({ keyring: stranger.internal, caller: 'order', callee: 'user' }, PING))).status, 401)
  })

  it('refuses a credential on another path or with another method than the one it names', async () => {
    const signer = { keyring: keys.internal, caller: 'order', callee: 'user' }
    const post = (path: string, token: string) => fetch(`${user.url}${path}`, { method: 'POST', headers: { 'x-service-token': token } })
    const forPostX = () => internalCredential(signer, { method: 'POST', path: '/internal/x' })
    assert.equal((await post('/internal/x', forPostX())).status, 200)
    assert.equal((await post('/internal/x?page=2', forPostX())).status, 200, 'the query string is not part of the path')
    assert.equal((await post('/internal/y', forPostX())).status, 401, 'another path')
    assert.equal((await fetch(`${user.url}/internal/x`, { headers: { 'x-service-token': forPostX() } })).status, 401, 'another method')
    const before = user.logs.length
    await post('/internal/y', forPostX())
    assert.match(user.logs.slice(before).join(''), /path mismatch/)
  })

  it('checks the path as sent, before routing folds a trailing slash', async () => {
    const signer = { keyring: keys.internal, caller: 'order', callee: 'user' }
    const token = internalCredential(signer, { method: 'POST', path: '/internal/x' })
    assert.equal((await fetch(`${user.url}/internal/x/`, { method: 'POST', headers: { 'x-service-token': token } })).status, 401)
  })

  it('refuses a replayed credential, and a credential without method and path', async () => {
    const token = internalCredential({ keyring: keys.internal, caller: 'order', callee: 'user' }, PING)
    assert.equal((await get(user.url, token)).status, 200)
    const before = user.logs.length
    assert.equal((await get(user.url, token)).status, 401)
    assert.match(user.logs.slice(before).join(''), /replayed/)
    const unbound = signClaims(keys.internal, 'gi1', { iss: 'order', aud: 'user', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 30, jti: 'unbound-1' })
    assert.equal(checkInternalCredential(unbound, keys.internal, 'user').ok, false)
    assert.equal((await get(user.url, unbound)).status, 401)
  })

  it('logs a refusal with its reason, never the credential', async () => {
    const token = internalCredential({ keyring: keys.internal, caller: 'order', callee: 'audit' }, PING)
    const before = user.logs.length
    assert.equal((await get(user.url, token)).status, 401)
    const written = user.logs.slice(before).join('')
    assert.match(written, /internal credential refused/)
    assert.match(written, /foreign audience/)
    assert.ok(!written.includes(token.split('.')[3]!), 'the signature is not in the log')
    assert.ok(!written.includes(token.split('.')[2]!), 'the payload is not in the log')
  })
})

describe('internal credentials across a rotation', () => {
  it('accepts calls signed with the old key until its date, and refuses them after', async () => {
    const clock = { at: Date.parse('2030-01-31T11:59:00Z') }
    const now = () => clock.at
    const rotated = loadServiceKeys({ INTERNAL_AUTH_KEYS: `k2:${NEW},k1:${OLD}:2030-01-31T12:00:00Z` }, { now })
    const notYet = loadServiceKeys({ INTERNAL_AUTH_KEYS: `k1:${OLD}` }, { now })
    // The keys' clock moves to the rotation's end; credentials are checked against the real time.
    const user = await startService('user', rotated)
    try {
      const call = async (keys: ServiceKeys) => {
        const client = createServiceClient({ baseUrls: [user.url], credential: { keyring: keys.internal, caller: 'order', callee: 'user' }, timeoutMs: 2000 })
        try {
          return await client.call('GET', '/internal/ping').then(() => 200, (err: unknown) => isAppError(err) ? err.status : 0)
        } finally {
          client.close()
        }
      }
      // A caller not yet rolled over still signs with k1.
      assert.equal(await call(notYet), 200)
      assert.equal(await call(rotated), 200)
      clock.at = Date.parse('2030-01-31T12:00:00Z')
      assert.equal(await call(notYet), 401)
      assert.equal(await call(rotated), 200)
    } finally {
      await user.app.close()
    }
  })
})
