import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { setImmediate as tick } from 'node:timers/promises'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { createServiceClient } from '../src/client/index.ts'
import type { ServiceClientOptions } from '../src/client/index.ts'
import { isAppError } from '../src/errors/index.ts'
import { checkInternalCredential, createReplayGuard } from '../src/http/index.ts'
import { loadServiceKeys } from '../src/keys/index.ts'

const keys = loadServiceKeys({ SERVICE_SECRET: 'client-test-service-secret-0123456789' })

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void

/** A real HTTP server on a free port that records each request and answers with `handler` (n counts from 1). */
async function serve (t: TestContext, handler: Handler): Promise<{ url: string, seen: Seen[] }> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() })
      handler(req, res, seen.length)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(async () => {
    // A handler that never answers leaves its socket open; close() alone would wait for it.
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })
  const address = server.address()
  assert.ok(address && typeof address === 'object')
  return { url: `http://127.0.0.1:${address.port}`, seen }
}

/** The address of a server that was just closed: connecting to it is refused. */
async function closedUrl (): Promise<string> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  assert.ok(address && typeof address === 'object')
  await new Promise(resolve => server.close(resolve))
  return `http://127.0.0.1:${address.port}`
}

function json (res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(body))
}

function client (baseUrls: string[], overrides: Partial<ServiceClientOptions> = {}) {
  return createServiceClient({ baseUrls, credential: { keyring: keys.internal, caller: 'order', callee: 'user' }, timeoutMs: 2000, ...overrides })
}

/** Asserts `promise` rejects with an AppError of this code and status, and returns it. */
async function rejectsWith (promise: Promise<unknown>, code: string, status: number) {
  let caught: unknown
  await assert.rejects(promise, (err) => { caught = err; return true })
  assert.ok(isAppError(caught), `expected an AppError, got ${String(caught)}`)
  assert.equal(caught.code, code)
  assert.equal(caught.status, status)
  return caught
}

describe('service client', () => {
  it('sends a credential for the callee, the request id, the query and a JSON body', async (t) => {
    const upstream = await serve(t, (_req, res) => json(res, 201, { id: 'u-1' }))
    const result = await client([upstream.url]).call('POST', '/internal/users', {
      body: { email: 'ada@example.com' },
      query: { notify: true, skip: undefined },
      requestId: 'req-7'
    })
    assert.deepEqual(result, { id: 'u-1' })
    assert.equal(upstream.seen.length, 1)
    const [req] = upstream.seen
    assert.equal(req!.method, 'POST')
    assert.equal(req!.url, '/internal/users?notify=true')
    const credential = checkInternalCredential(req!.headers['x-service-token'], keys.internal, 'user', Date.now(), { method: 'POST', path: '/internal/users' })
    assert.deepEqual(credential, { ok: true, caller: 'order' })
    assert.equal(checkInternalCredential(req!.headers['x-service-token'], keys.internal, 'user', Date.now(), { method: 'POST', path: '/internal/other' }).ok, false, 'it names the path')
    assert.equal(checkInternalCredential(req!.headers['x-service-token'], keys.internal, 'user', Date.now(), { method: 'PUT', path: '/internal/users' }).ok, false, 'it names the method')
    assert.equal(req!.headers['x-request-id'], 'req-7')
    assert.match(String(req!.headers['content-type']), /^application\/json/)
    assert.deepEqual(JSON.parse(req!.body), { email: 'ada@example.com' })
  })

  it('sends no credential header when it has no signer', async (t) => {
    const upstream = await serve(t, (_req, res) => json(res, 200, {}))
    await client([upstream.url], { credential: undefined }).call('GET', '/internal/ping')
    assert.equal(upstream.seen[0]!.headers['x-service-token'], undefined)
  })

  it('parses a JSON response', async (t) => {
    const upstream = await serve(t, (_req, res) => json(res, 200, { users: [{ id: 'u-1' }], total: 1 }))
    assert.deepEqual(await client([upstream.url]).call('GET', '/internal/users'), { users: [{ id: 'u-1' }], total: 1 })
  })

  it('resolves a 204 to undefined', async (t) => {
    const upstream = await serve(t, (_req, res) => res.writeHead(204).end())
    assert.equal(await client([upstream.url]).call('DELETE', '/internal/users/u-1'), undefined)
  })

  it('turns a problem+json error into an AppError with the upstream code, status and detail', async (t) => {
    const upstream = await serve(t, (_req, res) => json(res, 409, {
      type: 'https://gatehouse.dev/problems/email_taken',
      title: 'Email already registered',
      status: 409,
      detail: 'ada@example.com is taken',
      code: 'email_taken',
      requestId: 'req-8'
    }, 'application/problem+json'))
    const err = await rejectsWith(client([upstream.url]).call('POST', '/internal/users', { body: {} }), 'email_taken', 409)
    assert.equal(err.message, 'Email already registered')
    assert.equal(err.detail, 'ada@example.com is taken')
    assert.equal(upstream.seen.length, 1, 'a 4xx is an answer, not a failure to retry')
  })

  it('retries a GET that got 503 and resolves with the second answer', async (t) => {
    const upstream = await serve(t, (_req, res, n) => n === 1 ? json(res, 503, { code: 'unavailable' }) : json(res, 200, { ok: true }))
    assert.deepEqual(await client([upstream.url]).call('GET', '/internal/ping'), { ok: true })
    assert.equal(upstream.seen.length, 2)
  })

  it('signs a fresh credential for each attempt, each for the call\'s method and path', async (t) => {
    const upstream = await serve(t, (_req, res, n) => n < 3 ? json(res, 503, { code: 'unavailable' }) : json(res, 200, { ok: true }))
    assert.deepEqual(await client([upstream.url], { retries: 2 }).call('PUT', '/internal/users/u-1/name', { query: { v: 2 } }), { ok: true })
    assert.equal(upstream.seen.length, 3)
    const replay = createReplayGuard()
    const tokens = upstream.seen.map(seen => seen.headers['x-service-token'])
    assert.equal(new Set(tokens).size, 3, 'no attempt reuses a credential')
    for (const token of tokens) {
      assert.deepEqual(checkInternalCredential(token, keys.internal, 'user', Date.now(), { method: 'PUT', path: '/internal/users/u-1/name', replay }), { ok: true, caller: 'order' })
    }
  })

  it('retries a POST marked idempotent', async (t) => {
    const upstream = await serve(t, (_req, res, n) => n === 1 ? json(res, 502, {}) : json(res, 200, { ok: true }))
    assert.deepEqual(await client([upstream.url]).call('POST', '/internal/orders/o-1/cancel', { idempotent: true }), { ok: true })
    assert.equal(upstream.seen.length, 2)
  })

  it('does not retry a POST that got 503, and throws 503 unavailable', async (t) => {
    const upstream = await serve(t, (_req, res) => json(res, 503, { code: 'unavailable' }))
    await rejectsWith(client([upstream.url]).call('POST', '/internal/users', { body: { email: 'ada@example.com' } }), 'unavailable', 503)
    assert.equal(upstream.seen.length, 1)
  })

  it('throws 503 unavailable after its retries when a GET keeps failing', async (t) => {
    const upstream = await serve(t, (_req, res) => json(res, 503, {}))
    await rejectsWith(client([upstream.url], { retries: 2 }).call('GET', '/internal/ping'), 'unavailable', 503)
    assert.equal(upstream.seen.length, 3)
  })

  it('throws 503 unavailable when the upstream never answers within the timeout', async (t) => {
    const upstream = await serve(t, () => {})
    const err = await rejectsWith(client([upstream.url], { timeoutMs: 200, retries: 0 }).call('GET', '/internal/ping'), 'unavailable', 503)
    assert.match(err.detail, /timed out/)
    assert.equal(upstream.seen.length, 1)
  })

  it('throws 503 unavailable when nothing listens at the address', async () => {
    const err = await rejectsWith(client([await closedUrl()], { retries: 0 }).call('GET', '/internal/ping'), 'unavailable', 503)
    assert.match(err.detail, /unreachable/)
  })

  it('rotates calls across its base URLs', async (t) => {
    const a = await serve(t, (_req, res) => json(res, 200, { from: 'a' }))
    const b = await serve(t, (_req, res) => json(res, 200, { from: 'b' }))
    const c = client([a.url, b.url])
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await c.call<{ from: string }>('GET', '/internal/ping'))
    assert.deepEqual(answers.map(x => x.from), ['a', 'b', 'a', 'b'])
    assert.equal(a.seen.length, 2)
    assert.equal(b.seen.length, 2)
  })

  it('retries a failed GET on the next base URL', async (t) => {
    const down = await serve(t, (_req, res) => json(res, 503, {}))
    const up = await serve(t, (_req, res) => json(res, 200, { ok: true }))
    assert.deepEqual(await client([down.url, up.url]).call('GET', '/internal/ping'), { ok: true })
    assert.equal(down.seen.length, 1)
    assert.equal(up.seen.length, 1)
  })
})

/** A server on a given port (a stopped instance coming back), closed when the test ends. */
async function serveOn (t: TestContext, url: string, handler: Handler) {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' })
      handler(req, res, seen.length)
    })
  })
  await new Promise<void>(resolve => server.listen(Number(new URL(url).port), '127.0.0.1', resolve))
  t.after(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })
  return { seen }
}

/** An instance: /readyz answers 200, anything else `{ from }`. */
const instance = (from: string): Handler => (req, res) => req.url === '/readyz' ? json(res, 200, { status: 'ok' }) : json(res, 200, { from })

describe('service client over instances that come and go', () => {
  it('sends a POST whose connection was refused to another instance, and stops sending to the refused one', async (t) => {
    const dead = await closedUrl()
    const live = await serve(t, instance('live'))
    const c = client([dead, live.url], { cooldownMs: 60_000 })
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(await c.call('POST', '/internal/users', { body: { i } }), { from: 'live' })
    }
    assert.deepEqual(live.seen.map(s => JSON.parse(s.body).i), [0, 1, 2, 3], 'each POST once, none lost')
  })

  it('sends any method elsewhere when the instance answers 503 x-instance-closing, and leaves that instance out', async (t) => {
    const closing = await serve(t, (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/problem+json', 'x-instance-closing': '1', connection: 'close' })
      res.end(JSON.stringify({ code: 'unavailable' }))
    })
    const live = await serve(t, instance('live'))
    const c = client([closing.url, live.url], { cooldownMs: 60_000 })
    assert.deepEqual(await c.call('POST', '/internal/users', { body: {} }), { from: 'live' })
    assert.deepEqual(await c.call('PATCH', '/internal/users/u-1', { body: {} }), { from: 'live' })
    assert.equal(closing.seen.length, 1)
    assert.equal(live.seen.length, 2)
  })

  it('takes the answer of a draining instance, then sends nothing new there', async (t) => {
    const draining = await serve(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-instance-draining': '1', connection: 'close' })
      res.end(JSON.stringify({ from: 'draining' }))
    })
    const live = await serve(t, instance('live'))
    const c = client([draining.url, live.url], { cooldownMs: 60_000 })
    assert.deepEqual(await c.call('POST', '/internal/users', { body: {} }), { from: 'draining' })
    for (let i = 0; i < 3; i++) assert.deepEqual(await c.call('POST', '/internal/users', { body: {} }), { from: 'live' })
    assert.equal(draining.seen.length, 1)
  })

  it('does not resend a POST whose connection broke after it was sent, but resends a GET', async (t) => {
    const resetting = await serve(t, (req, res) => req.url === '/readyz' ? json(res, 200, {}) : req.socket.destroy())
    const live = await serve(t, instance('live'))
    const c = client([resetting.url, live.url], { cooldownMs: 60_000, retries: 1 })
    const err = await rejectsWith(c.call('POST', '/internal/users', { body: {} }), 'unavailable', 503)
    assert.match(err.detail, /unreachable/)
    assert.equal(live.seen.length, 0, 'the POST may have been processed: never sent twice')

    const second = client([resetting.url, live.url], { cooldownMs: 60_000, retries: 1 })
    assert.deepEqual(await second.call('GET', '/internal/ping'), { from: 'live' })
    assert.equal(live.seen.length, 1)
  })

  it('keeps an instance that answered 413 and closed the connection in rotation', async (t) => {
    const strict = await serve(t, (req, res) => {
      if (req.url === '/readyz') return json(res, 200, {})
      res.writeHead(413, { 'content-type': 'application/problem+json', connection: 'close' })
      res.end(JSON.stringify({ code: 'payload_too_large', title: 'Request body too large' }))
    })
    const c = client([strict.url], { cooldownMs: 60_000 })
    await rejectsWith(c.call('POST', '/internal/users', { body: { big: 'x'.repeat(200_000) } }), 'payload_too_large', 413)
    await rejectsWith(c.call('POST', '/internal/users', { body: {} }), 'payload_too_large', 413)
    assert.equal(strict.seen.filter(s => s.url !== '/readyz').length, 2, 'the instance still gets requests')
  })

  it('probes a down instance with GET /readyz after the cooldown and takes it back when it answers 200', async (t) => {
    let now = 0
    const dead = await closedUrl()
    const live = await serve(t, instance('live'))
    const c = client([dead, live.url], { cooldownMs: 1000, now: () => now })
    assert.deepEqual(await c.call('GET', '/internal/ping'), { from: 'live' })
    const back = await serveOn(t, dead, instance('back'))
    assert.deepEqual(await c.call('GET', '/internal/ping'), { from: 'live' }, 'still cooling down')
    assert.equal(back.seen.length, 0)

    now += 1000
    // The next call starts the due probe; calls then reach the instance once it answered.
    const from = new Set<string>()
    while (!from.has('back')) from.add((await c.call<{ from: string }>('GET', '/internal/ping')).from)
    assert.equal(back.seen[0]!.url, '/readyz')
    assert.equal(back.seen[0]!.method, 'GET')
    assert.deepEqual((await Promise.all([c.call('GET', '/a'), c.call('GET', '/b')])).map(r => (r as { from: string }).from).sort(), ['back', 'live'])
  })

  it('backs off between probes while the instance stays unready', async (t) => {
    let now = 0
    const probes: number[] = []
    const dead = await closedUrl()
    const live = await serve(t, instance('live'))
    const c = client([dead, live.url], {
      cooldownMs: 1000,
      now: () => now,
      probe: async () => { probes.push(now); return false }
    })
    const call = () => c.call('GET', '/internal/ping')
    await call()
    assert.deepEqual(probes, [])
    now = 999
    await call()
    assert.deepEqual(probes, [], 'not before the cooldown')
    now = 1000
    await call()
    assert.deepEqual(probes, [1000])
    await tick()
    now = 2999
    await call()
    assert.deepEqual(probes, [1000], 'the second wait is twice as long')
    now = 3000
    await call()
    assert.deepEqual(probes, [1000, 3000])
    await tick()
    now = 7000
    await call()
    assert.deepEqual(probes, [1000, 3000, 7000])
    await tick()
    now = 11_999
    await call()
    assert.deepEqual(probes, [1000, 3000, 7000], 'the wait stops growing at five seconds')
    now = 12_000
    await call()
    assert.deepEqual(probes, [1000, 3000, 7000, 12_000])
  })
})
