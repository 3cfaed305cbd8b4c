import { after, before, describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from '@sinclair/typebox'
import type { LightMyRequestResponse } from 'fastify'
import { AppError } from '../src/errors/index.ts'
import { createServer, internalCredential, StrictObject } from '../src/http/index.ts'
import { loadServiceKeys } from '../src/keys/index.ts'
import type { App, ReadinessCheck } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'

const SECRET = 'http-test-service-secret-0123456789'
const keys = loadServiceKeys({ SERVICE_SECRET: SECRET })
const credentialFor = (callee: string) => internalCredential({ keyring: keys.internal, caller: 'test', callee }, { method: 'GET', path: '/internal/ping' })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

type CheckResult = Promise<void | 'degraded'>

/** Readiness checks whose outcome each test sets. */
function controlledChecks () {
  const state: Record<'database' | 'cache', () => CheckResult> = {
    database: async () => {},
    cache: async () => {}
  }
  const checks: ReadinessCheck[] = [
    { name: 'database', check: () => state.database() },
    { name: 'cache', check: () => state.cache() }
  ]
  return { state, checks }
}

async function buildApp (readiness: ReadinessCheck[] = []): Promise<App> {
  const app = await createServer({ name: 'http-test', log: createLogger('silent'), bodyLimit: 1024, readiness, keys })
  app.post('/items', {
    schema: { body: StrictObject({ name: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1 }) }) }
  }, async (request, reply) => reply.code(201).send(request.body))
  app.get('/items', {
    schema: { querystring: StrictObject({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }) }) }
  }, async (request) => ({ limit: request.query.limit }))
  app.get('/items/:id', { schema: { params: StrictObject({ id: Type.String() }) } }, async (request) => ({ id: request.params.id }))
  app.get('/locked', async () => {
    throw new AppError('item_locked', 423, 'Item locked', { detail: 'Item i-9 is being edited', extra: { lockedBy: 'job-7', retryInSeconds: 30 } })
  })
  app.get('/broken', async () => { throw new Error('secret details') })
  app.get('/internal/ping', async () => ({ pong: true }))
  await app.ready()
  return app
}

/** Asserts the RFC 9457 shape every error response has, and returns the body. */
function assertProblem (res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body)
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
  assert.equal(res.headers['x-error-code'], code)
  const body = res.json() as Record<string, unknown>
  assert.equal(body.status, status)
  assert.equal(body.code, code)
  assert.equal(body.type, `https://gatehouse.dev/problems/${code}`)
  for (const key of ['title', 'detail', 'requestId']) assert.equal(typeof body[key], 'string', `${key} is a string`)
  assert.equal(body.requestId, res.headers['x-request-id'])
  return body
}

function fieldPaths (body: Record<string, unknown>): string[] {
  return (body.errors as Array<{ path: string }>).map(e => e.path)
}

describe('http server', () => {
  let app: App
  const readiness = controlledChecks()
  before(async () => { app = await buildApp(readiness.checks) })
  after(() => app.close())

  describe('validation', () => {
    it('answers 400 validation_failed naming /body/<field> when a required field is missing', async () => {
      const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen' } })
      const body = assertProblem(res, 400, 'validation_failed')
      assert.deepEqual(fieldPaths(body), ['/body/quantity'])
    })

    it('answers 400 validation_failed naming the field that has the wrong type', async () => {
      const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', quantity: 'many' } })
      const body = assertProblem(res, 400, 'validation_failed')
      assert.equal(fieldPaths(body)[0], '/body/quantity')
    })

    it('rejects an unknown body field instead of ignoring it', async () => {
      const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', quantity: 1, colour: 'red' } })
      const body = assertProblem(res, 400, 'validation_failed')
      assert.equal(fieldPaths(body)[0], '/body/colour')
    })

    it('does not coerce a numeric string in a JSON body to an integer', async () => {
      const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', quantity: '5' } })
      const body = assertProblem(res, 400, 'validation_failed')
      assert.equal(fieldPaths(body)[0], '/body/quantity')
    })

    it('accepts a valid body', async () => {
      const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', quantity: 5 } })
      assert.equal(res.statusCode, 201)
      assert.deepEqual(res.json(), { name: 'pen', quantity: 5 })
    })

    it('coerces a querystring integer and applies its default', async () => {
      const given = await app.inject({ method: 'GET', url: '/items?limit=5' })
      assert.equal(given.statusCode, 200)
      assert.deepEqual(given.json(), { limit: 5 })
      const defaulted = await app.inject({ method: 'GET', url: '/items' })
      assert.deepEqual(defaulted.json(), { limit: 10 })
    })

    it('answers 400 naming /querystring/<field> when a query parameter is not an integer', async () => {
      const res = await app.inject({ method: 'GET', url: '/items?limit=abc' })
      const body = assertProblem(res, 400, 'validation_failed')
      assert.equal(fieldPaths(body)[0], '/querystring/limit')
    })
  })

  describe('errors', () => {
    it('keeps the status, code, detail and extra fields of an AppError thrown by a handler', async () => {
      const res = await app.inject({ method: 'GET', url: '/locked' })
      const body = assertProblem(res, 423, 'item_locked')
      assert.equal(body.title, 'Item locked')
      assert.equal(body.detail, 'Item i-9 is being edited')
      assert.equal(body.lockedBy, 'job-7')
      assert.equal(body.retryInSeconds, 30)
    })

    it('answers a plain Error with an opaque 500 internal that carries neither its message nor a stack', async () => {
      const res = await app.inject({ method: 'GET', url: '/broken' })
      const body = assertProblem(res, 500, 'internal')
      assert.doesNotMatch(res.body, /secret details/)
      assert.doesNotMatch(res.body, /stack|\.ts:\d+|at async/)
      assert.equal('stack' in body, false)
    })

    it('answers an unknown route with a 404 not_found problem', async () => {
      const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' })
      const body = assertProblem(res, 404, 'not_found')
      assert.match(String(body.detail), /GET \/nowhere$/)
    })

    it('answers a body over the limit with 413 payload_too_large', async () => {
      const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'x'.repeat(2048), quantity: 1 } })
      assertProblem(res, 413, 'payload_too_large')
    })

    it('answers malformed JSON with 400 malformed_json', async () => {
      const res = await app.inject({ method: 'POST', url: '/items', headers: { 'content-type': 'application/json' }, payload: '{"name": "pen",' })
      assertProblem(res, 400, 'malformed_json')
    })
  })

  describe('request ids', () => {
    it('echoes a well-formed x-request-id in the header and in problems', async () => {
      const ok = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req-42.a:b' } })
      assert.equal(ok.headers['x-request-id'], 'req-42.a:b')
      const failed = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'req-43' } })
      assert.equal(failed.json().requestId, 'req-43')
    })

    it('mints a uuid when x-request-id is absent', async () => {
      const res = await app.inject({ method: 'GET', url: '/healthz' })
      assert.match(String(res.headers['x-request-id']), UUID)
    })

    it('replaces an x-request-id that is malformed or too long with a minted uuid', async () => {
      for (const incoming of ['has spaces', '<script>', 'x'.repeat(129)]) {
        const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': incoming } })
        assert.match(String(res.headers['x-request-id']), UUID, incoming)
      }
    })
  })

  describe('health', () => {
    it('answers /healthz with 200', async () => {
      const res = await app.inject({ method: 'GET', url: '/healthz' })
      assert.equal(res.statusCode, 200)
      assert.deepEqual(res.json(), { status: 'ok' })
    })

    it('answers /readyz 200 ok when every check passes', async (t: TestContext) => {
      setChecks(t, {})
      const res = await app.inject({ method: 'GET', url: '/readyz' })
      assert.equal(res.statusCode, 200)
      assert.deepEqual(res.json(), { status: 'ok', checks: { database: 'ok', cache: 'ok' } })
    })

    it('answers /readyz 503 naming the check that throws as down', async (t: TestContext) => {
      setChecks(t, { database: async () => { throw new Error('connection refused') } })
      const res = await app.inject({ method: 'GET', url: '/readyz' })
      assert.equal(res.statusCode, 503)
      assert.deepEqual(res.json(), { status: 'down', checks: { database: 'down', cache: 'ok' } })
    })

    it('answers /readyz 200 degraded when a check reports degraded', async (t: TestContext) => {
      setChecks(t, { cache: async () => 'degraded' })
      const res = await app.inject({ method: 'GET', url: '/readyz' })
      assert.equal(res.statusCode, 200)
      assert.deepEqual(res.json(), { status: 'degraded', checks: { database: 'ok', cache: 'degraded' } })
    })

    it('counts a check that never answers as down', async (t: TestContext) => {
      setChecks(t, { database: () => new Promise<void>(() => {}) })
      const res = await app.inject({ method: 'GET', url: '/readyz' })
      assert.equal(res.statusCode, 503)
      assert.deepEqual(res.json(), { status: 'down', checks: { database: 'down', cache: 'ok' } })
    })

    function setChecks (t: TestContext, overrides: Partial<typeof readiness.state>): void {
      const saved = { ...readiness.state }
      Object.assign(readiness.state, overrides)
      t.after(() => { Object.assign(readiness.state, saved) })
    }
  })

  describe('metrics and openapi', () => {
    it('counts requests and their latency by route pattern, never by raw path', async () => {
      await app.inject({ method: 'GET', url: '/items/item-8f3a9c' })
      await app.inject({ method: 'GET', url: '/items/item-77b2e1' })
      const res = await app.inject({ method: 'GET', url: '/metrics' })
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /^http_requests_total\{[^}]*route="\/items\/:id"[^}]*status="200"[^}]*\} 2$/m)
      assert.match(res.body, /^http_request_duration_seconds_count\{[^}]*route="\/items\/:id"[^}]*\} 2$/m)
      assert.doesNotMatch(res.body, /item-8f3a9c|item-77b2e1/)
    })

    it('lists the routes in /openapi.json, without the operational ones', async () => {
      const res = await app.inject({ method: 'GET', url: '/openapi.json' })
      assert.equal(res.statusCode, 200)
      const spec = res.json() as { openapi: string, paths: Record<string, Record<string, unknown>> }
      assert.equal(spec.openapi, '3.1.0')
      assert.ok(spec.paths['/items']?.post, 'POST /items')
      assert.ok(spec.paths['/items']?.get, 'GET /items')
      assert.ok(spec.paths['/items/{id}']?.get, 'GET /items/{id}')
      for (const hidden of ['/healthz', '/readyz', '/metrics', '/openapi.json']) assert.equal(spec.paths[hidden], undefined, hidden)
    })
  })

  describe('internal routes', () => {
    it('answers 401 unauthorized without the service credential', async () => {
      const res = await app.inject({ method: 'GET', url: '/internal/ping' })
      assertProblem(res, 401, 'unauthorized')
    })

    it('answers 401 unauthorized with the old shared secret or a credential for another service', async () => {
      for (const token of [SECRET, credentialFor('another-service')]) {
        const res = await app.inject({ method: 'GET', url: '/internal/ping', headers: { 'x-service-token': token } })
        assertProblem(res, 401, 'unauthorized')
      }
    })

    it('answers with a credential signed for this service', async () => {
      const res = await app.inject({ method: 'GET', url: '/internal/ping', headers: { 'x-service-token': credentialFor('http-test') } })
      assert.equal(res.statusCode, 200)
      assert.deepEqual(res.json(), { pong: true })
    })

    it('refuses every internal call when no key is configured', async (t: TestContext) => {
      const open = await createServer({ name: 'no-secret', log: createLogger('silent'), bodyLimit: 1024 })
      t.after(() => open.close())
      open.get('/internal/ping', async () => ({ pong: true }))
      const res = await open.inject({ method: 'GET', url: '/internal/ping', headers: { 'x-service-token': credentialFor('no-secret') } })
      assertProblem(res, 401, 'unauthorized')
    })
  })
})

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, resolves close(), then refuses new requests', async (t: TestContext) => {
    const app = await createServer({ name: 'shutdown-test', log: createLogger('silent'), bodyLimit: 1024 })
    t.after(() => app.close())
    let release!: () => void
    const released = new Promise<void>(resolve => { release = resolve })
    let entered!: () => void
    const inHandler = new Promise<void>(resolve => { entered = resolve })
    app.get('/slow', async () => {
      entered()
      await released
      return { finished: true }
    })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    assert.ok(address && typeof address === 'object')
    const url = `http://127.0.0.1:${address.port}/slow`

    const inFlight = fetch(url)
    await inHandler
    const closed = app.close()
    release()
    const res = await inFlight
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { finished: true })
    await closed
    await assert.rejects(fetch(url), (err: Error) => {
      assert.equal((err.cause as NodeJS.ErrnoException).code, 'ECONNREFUSED')
      return true
    })
  })
})
