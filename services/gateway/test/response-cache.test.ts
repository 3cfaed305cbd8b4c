import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLogger } from '@app/kit/log'
import { checkIdentityAssertion } from '@app/kit/http'
import { startService, SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { RunningService, ServiceName } from '@app/kit/service'
import { openTestBackends, testEnv, testKeys, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { JWK } from 'jose'
import { gatewayService } from '../src/service.ts'
import { newSigningKey, signToken } from './helper.ts'

const keys = testKeys()

/**
 * Every service at once. Proxied requests (those with the gateway's identity
 * assertion) are counted per URL and answered `{ n, user, lang }` with the
 * caching headers the query asks for: `cc` (Cache-Control), `vary`,
 * `cookie=1` (a Set-Cookie), `size` (a body that long, sent in chunks);
 * `hold=1` keeps the first GET of a URL unanswered until the test lets it go.
 */
async function startUpstream (jwks: () => { keys: JWK[] }) {
  const hits = new Map<string, number>()
  const held: Array<(answer: () => void) => void> = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream')
    const assertion = req.headers['x-identity-assertion']
    if (url.pathname === '/readyz') return res.writeHead(200).end('{}')
    if (url.pathname.startsWith('/internal/auth/revocations')) {
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ until: new Date().toISOString(), windowSeconds: 960, more: false, sessions: [] }))
    }
    if (typeof assertion !== 'string') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks()))
    const n = (hits.get(req.url!) ?? 0) + 1
    hits.set(req.url!, n)
    const audience = url.pathname.startsWith('/api/v1/users') ? 'user' : 'auth'
    const check = checkIdentityAssertion(assertion, { keyring: keys.identity, audience, requestId: String(req.headers['x-request-id']), nowMs: Date.now() })
    const user = check.ok ? check.assertion.user?.sub ?? null : 'refused'
    const q = url.searchParams
    res.setHeader('content-type', 'application/json')
    if (q.has('cc')) res.setHeader('cache-control', q.get('cc')!)
    if (q.has('vary')) res.setHeader('vary', q.get('vary')!)
    if (q.get('cookie') === '1') res.setHeader('set-cookie', 'theme=dark; Path=/')
    const body = JSON.stringify({ n, user, lang: req.headers['accept-language'] ?? null, pad: 'x'.repeat(Number(q.get('size') ?? 0)) })
    const answer = () => {
      // Chunked, without a length: the way a streamed answer arrives.
      for (let i = 0; i < body.length; i += 1000) res.write(body.slice(i, i + 1000))
      res.end()
    }
    if (q.get('hold') === '1' && n === 1 && req.method === 'GET') held.shift()?.(answer)
    else answer()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Requests the gateway sent on for `path` (as fetch encodes it). */
    hits: (path: string) => {
      const sent = new URL(path, 'http://upstream')
      return hits.get(sent.pathname + sent.search) ?? 0
    },
    /** The next held GET, once it arrived: call the function to answer it. */
    nextHeld: () => new Promise<() => void>(resolve => held.push(resolve)),
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

/** A gateway in front of the upstream, on a clock the test moves. */
function useCachingGateway (env: Record<string, string> = {}) {
  const clock = { ms: Date.parse('2026-01-01T00:00:00Z') }
  const state = {} as { backends: TestBackends, upstream: Awaited<ReturnType<typeof startUpstream>>, gateway: RunningService, key: Awaited<ReturnType<typeof newSigningKey>> }
  before(async () => {
    state.backends = await openTestBackends()
    state.key = await newSigningKey()
    state.upstream = await startUpstream(() => ({ keys: [state.key.jwk] }))
    const urls = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), state.upstream.url]))
    state.gateway = await startService(gatewayService, {
      env: testEnv(state.backends, { ...urls, CACHE_PREFIX: `${uniqueName('gw')}:`, GATEWAY_DOCS_ENABLED: 'false', GATEWAY_CACHE_MAX_ENTRY_BYTES: '20000', ...env }),
      shared: { cache: state.backends.cache.cache, bus: state.backends.bus.bus },
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      port: 0,
      now: () => new Date(clock.ms)
    })
  })
  after(async () => {
    await state.gateway.close()
    await state.upstream.close()
    await state.backends.cleanup()
  })
  const tokens = new Map<string, string>()
  return {
    clock,
    get upstream () { return state.upstream },
    metrics: () => state.gateway.app.metricsRegistry.metrics(),
    async tokenFor (sub: string) {
      if (!tokens.has(sub)) tokens.set(sub, await signToken(state.key, { claims: { sub } }))
      return tokens.get(sub)!
    },
    async get (path: string, headers: Record<string, string> = {}, method = 'GET') {
      const res = await fetch(`${state.gateway.url}${path}`, { method, headers })
      const text = await res.text()
      return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined }
    }
  }
}

let unique = 0
/** A URL no earlier request used, so each test starts with nothing stored for it. */
const fresh = (path: string, query: string) => `${path}?t=${++unique}&${query}`

describe('gateway response cache', () => {
  const gw = useCachingGateway()

  it('serves an answer marked public, max-age from memory with its Age; the service sees one request', async () => {
    const path = fresh('/.well-known/jwks.json', 'cc=public,max-age=300')
    const first = await gw.get(path)
    assert.equal(first.status, 200)
    assert.equal(first.headers.get('x-cache'), 'miss')
    gw.clock.ms += 7_000
    const second = await gw.get(path)
    assert.equal(second.status, 200)
    assert.equal(second.headers.get('x-cache'), 'hit')
    assert.equal(second.headers.get('age'), '7')
    assert.equal(second.headers.get('cache-control'), 'public,max-age=300')
    assert.equal(second.headers.get('content-type'), 'application/json')
    assert.notEqual(second.headers.get('x-request-id'), first.headers.get('x-request-id'), 'each answer has its own request id')
    assert.deepEqual(second.body, first.body)
    assert.equal(gw.upstream.hits(path), 1)
  })

  it('goes back to the service once max-age has passed on the injected clock', async () => {
    const path = fresh('/.well-known/jwks.json', 'cc=public,s-maxage=60,max-age=1')
    await gw.get(path)
    gw.clock.ms += 59_000
    const stillFresh = await gw.get(path)
    assert.equal(stillFresh.headers.get('x-cache'), 'hit', 's-maxage wins over max-age in a shared cache')
    assert.equal(stillFresh.headers.get('age'), '59')
    gw.clock.ms += 1_000
    const stale = await gw.get(path)
    assert.equal(stale.headers.get('x-cache'), 'miss')
    assert.equal(stale.body.n, 2)
    assert.equal(gw.upstream.hits(path), 2)
    assert.equal((await gw.get(path)).headers.get('age'), '0', 'the new answer is kept from now')
  })

  it('keeps one answer per value of each header Vary names, never one for another', async () => {
    const path = fresh('/.well-known/jwks.json', 'cc=public,max-age=300&vary=Accept-Language')
    const en = await gw.get(path, { 'accept-language': 'en' })
    const de = await gw.get(path, { 'accept-language': 'de' })
    const fr = await gw.get(path, { 'accept-language': 'fr' })
    assert.deepEqual([en.body.lang, de.body.lang, fr.body.lang], ['en', 'de', 'fr'])
    assert.deepEqual([en, de, fr].map(r => r.headers.get('x-cache')), ['miss', 'miss', 'miss'])
    const again = await Promise.all([gw.get(path, { 'accept-language': 'de' }), gw.get(path, { 'accept-language': 'en' }), gw.get(path, { 'accept-language': 'fr' })])
    assert.deepEqual(again.map(r => [r.headers.get('x-cache'), r.body.lang]), [['hit', 'de'], ['hit', 'en'], ['hit', 'fr']])
    assert.equal(gw.upstream.hits(path), 3)
  })

  it('never serves user A\'s answer to user B: private, or an authorized request without public', async () => {
    for (const cc of ['private,max-age=300', 'max-age=300', 'private="set-cookie",public,max-age=300']) {
      const path = fresh('/api/v1/users/me', `cc=${cc}`)
      const a = await gw.get(path, { authorization: `Bearer ${await gw.tokenFor('user-a')}` })
      const b = await gw.get(path, { authorization: `Bearer ${await gw.tokenFor('user-b')}` })
      const aAgain = await gw.get(path, { authorization: `Bearer ${await gw.tokenFor('user-a')}` })
      assert.deepEqual([a.body.user, b.body.user, aAgain.body.user], ['user-a', 'user-b', 'user-a'], cc)
      assert.deepEqual([a, b, aAgain].map(r => r.headers.get('x-cache')), ['miss', 'miss', 'miss'], cc)
      assert.equal(gw.upstream.hits(path), 3, cc)
    }
  })

  it('does not serve an answer an anonymous request got to a request with credentials unless it said public', async () => {
    const path = fresh('/.well-known/jwks.json', 'cc=max-age=300')
    assert.equal((await gw.get(path)).headers.get('x-cache'), 'miss')
    assert.equal((await gw.get(path)).headers.get('x-cache'), 'hit')
    const withToken = await gw.get(path, { authorization: `Bearer ${await gw.tokenFor('user-a')}` })
    assert.equal(withToken.headers.get('x-cache'), 'miss')
    assert.equal(withToken.body.user, 'user-a')
    assert.equal((await gw.get(path, { cookie: 'theme=dark' })).headers.get('x-cache'), 'miss')
  })

  it('keeps users apart on a public answer that varies on Authorization', async () => {
    const path = fresh('/api/v1/users/me', 'cc=public,max-age=300&vary=authorization')
    const a = await gw.get(path, { authorization: `Bearer ${await gw.tokenFor('user-a')}` })
    const b = await gw.get(path, { authorization: `Bearer ${await gw.tokenFor('user-b')}` })
    const aAgain = await gw.get(path, { authorization: `Bearer ${await gw.tokenFor('user-a')}` })
    assert.deepEqual([a.body.user, b.body.user, aAgain.body.user], ['user-a', 'user-b', 'user-a'])
    assert.deepEqual([a, b, aAgain].map(r => r.headers.get('x-cache')), ['miss', 'miss', 'hit'])
  })

  it('never keeps an answer with Set-Cookie, no-store, no-cache or Vary: *', async () => {
    for (const query of ['cc=public,max-age=300&cookie=1', 'cc=public,no-store,max-age=300', 'cc=public,no-cache,max-age=300', 'cc=public,max-age=300&vary=*', 'cc=public', 'cc=public,max-age=300,junk%20junk']) {
      const path = fresh('/.well-known/jwks.json', query)
      await gw.get(path)
      const second = await gw.get(path)
      assert.equal(second.headers.get('x-cache'), 'miss', query)
      assert.equal(gw.upstream.hits(path), 2, query)
    }
  })

  it('answers HEAD from a kept GET, and a request\'s own no-cache goes to the service', async () => {
    const path = fresh('/.well-known/jwks.json', 'cc=public,max-age=300')
    const get = await gw.get(path)
    const head = await gw.get(path, {}, 'HEAD')
    assert.equal(head.status, 200)
    assert.equal(head.headers.get('x-cache'), 'hit')
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(get.text)))
    assert.equal(head.text, '')
    const bypass = await gw.get(path, { 'cache-control': 'no-cache' })
    assert.equal(bypass.headers.get('x-cache'), 'miss')
    assert.equal(gw.upstream.hits(path), 2)
  })

  it('passes a body larger than the entry cap through whole, and keeps none of it', async () => {
    const path = fresh('/.well-known/jwks.json', 'cc=public,max-age=300&size=50000')
    const first = await gw.get(path)
    assert.equal(first.body.pad.length, 50_000)
    const second = await gw.get(path)
    assert.equal(second.headers.get('x-cache'), 'miss')
    assert.equal(second.body.pad.length, 50_000)
    assert.equal(gw.upstream.hits(path), 2)
  })

  it('drops what it keeps for a path on a POST to it', async () => {
    const path = fresh('/api/v1/users/me', 'cc=public,max-age=300')
    const token = { authorization: `Bearer ${await gw.tokenFor('user-a')}` }
    await gw.get(path, token)
    assert.equal((await gw.get(path, token)).headers.get('x-cache'), 'hit')
    await gw.get(path, token, 'PATCH')
    assert.equal((await gw.get(path, token)).headers.get('x-cache'), 'miss')
  })

  it('does not keep an answer read before a change to its path that was answered meanwhile', async () => {
    const path = fresh('/api/v1/users/me', 'cc=public,max-age=300&hold=1')
    const token = { authorization: `Bearer ${await gw.tokenFor('user-a')}` }
    const arrived = gw.upstream.nextHeld()
    const before = gw.get(path, token)
    const answer = await arrived
    assert.equal((await gw.get(path, token, 'PATCH')).status, 200)
    answer()
    assert.equal((await before).body.n, 1)
    const after = await gw.get(path, token)
    assert.equal(after.headers.get('x-cache'), 'miss', 'the answer from before the PATCH was kept')
    assert.equal(after.body.n, 3)
    assert.equal((await gw.get(path, token)).headers.get('x-cache'), 'hit', 'an answer after it is kept')
  })
})

describe('gateway response cache metrics', () => {
  const gw = useCachingGateway()

  it('counts hits and misses and reports what it holds', async () => {
    const path = fresh('/.well-known/jwks.json', 'cc=public,max-age=300')
    await gw.get(path)
    await gw.get(path)
    await gw.get(path)
    const text = await gw.metrics()
    assert.match(text, /gateway_response_cache_lookups_total\{[^}]*result="hit"[^}]*\} 2\n/)
    assert.match(text, /gateway_response_cache_lookups_total\{[^}]*result="miss"[^}]*\} 1\n/)
    assert.match(text, /gateway_response_cache_entries(\{[^}]*\})? 1\n/)
    assert.match(text, /gateway_response_cache_bytes(\{[^}]*\})? [1-9]\d*\n/)
  })

  it('counts each answer\'s key in the size, and keeps none whose key is longer than 4 KB', async () => {
    const bytes = async () => Number(/gateway_response_cache_bytes(?:\{[^}]*\})? (\d+)\n/.exec(await gw.metrics())?.[1])
    const held = await bytes()
    const long = fresh('/.well-known/jwks.json', `cc=public,max-age=300&k=${'k'.repeat(3000)}`)
    await gw.get(long)
    assert.equal((await gw.get(long)).headers.get('x-cache'), 'hit')
    assert.ok(await bytes() - held > 3000, `${await bytes() - held} bytes for a 3000-character URL`)
    const tooLong = fresh('/.well-known/jwks.json', `cc=public,max-age=300&k=${'k'.repeat(5000)}`)
    await gw.get(tooLong)
    assert.equal((await gw.get(tooLong)).headers.get('x-cache'), 'miss')
    assert.equal(gw.upstream.hits(tooLong), 2)
  })
})

describe('gateway response cache turned off', () => {
  const gw = useCachingGateway({ GATEWAY_CACHE_MAX_ENTRIES: '0' })

  it('sends every request on, without x-cache', async () => {
    const path = fresh('/.well-known/jwks.json', 'cc=public,max-age=300')
    await gw.get(path)
    const second = await gw.get(path)
    assert.equal(second.headers.get('x-cache'), null)
    assert.equal(gw.upstream.hits(path), 2)
  })
})
