import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createLogger } from '@app/kit/log'
import { openTestBackends, testEnv, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { SERVICE_PORTS, serviceUrlVariable, startService } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { mergeOpenApi } from '../src/openapi-merge.ts'
import type { OpenApiDocument } from '../src/openapi-merge.ts'
import { gatewayService } from '../src/service.ts'
import { newSigningKey, startFakeServices } from './helper.ts'

type Json = Record<string, any>
const INFO = { title: 'Gatehouse API', version: '1.0.0' }
const op = (responses: Json = { 200: { description: 'Success' } }) => ({ responses })
const spec = (paths: Json): OpenApiDocument => ({ openapi: '3.1.0', info: { title: 'x', version: '1' }, paths })

describe('the merged OpenAPI', () => {
  const merged = mergeOpenApi([
    {
      service: 'user',
      doc: spec({
        '/api/v1/users/me': { get: op() },
        '/api/v1/users/{id}/disable': { post: op() },
        '/api/v1/users/register': { post: op({ 201: { description: 'Created' } }) },
        '/internal/users/by-email': { get: op() }
      })
    },
    {
      service: 'auth',
      doc: spec({ '/rpc/auth.v1.AuthService/GetProfile': { post: op({ 200: { description: 'Success' }, 401: { description: 'Connect', content: { 'application/json': { schema: { type: 'object' } } } } }) } })
    },
    { service: 'gateway', doc: spec({ '/api/v1/me/overview': { get: op() } }) }
  ], INFO) as Json

  it('adds what the gateway answers itself to every operation, as shared problem+json responses', () => {
    const register = merged.paths['/api/v1/users/register'].post.responses
    assert.deepEqual(Object.keys(register), ['201', '400', '401', '413', '414', '429', '431', '502', '503', '504'])
    assert.deepEqual(register['429'], { $ref: '#/components/responses/TooManyRequests' })
    assert.ok(merged.components.responses.TooManyRequests.headers['RateLimit-Remaining'])
    assert.equal(merged.paths['/api/v1/users/me'].get.responses['413'], undefined, 'a GET carries no body')
    assert.equal(merged.paths['/api/v1/me/overview'].get.responses['502'], undefined, 'the gateway\'s own route is not proxied')
  })

  it('declares the bearer of the routes its policy protects, and 403 for admin routes', () => {
    assert.deepEqual(merged.paths['/api/v1/users/me'].get.security, [{ bearer: [] }])
    assert.equal(merged.paths['/api/v1/users/register'].post.security, undefined)
    assert.ok(merged.paths['/api/v1/users/{id}/disable'].post.responses['403'])
    assert.equal(merged.paths['/api/v1/users/me'].get.responses['403'], undefined)
  })

  it('declares problem+json beside a Connect procedure\'s own error bodies', () => {
    const unauthorized = merged.paths['/rpc/auth.v1.AuthService/GetProfile'].post.responses['401']
    assert.deepEqual(Object.keys(unauthorized.content), ['application/json', 'application/problem+json'])
  })

  it('leaves out internal routes', () => {
    assert.equal(merged.paths['/internal/users/by-email'], undefined)
  })
})

describe('the /docs page', () => {
  const state = {} as { backends: TestBackends, fake: Awaited<ReturnType<typeof startFakeServices>>, gateway: Awaited<ReturnType<typeof startService<typeof gatewayService.configSchema>>> }
  before(async () => {
    state.backends = await openTestBackends()
    const key = await newSigningKey()
    state.fake = await startFakeServices(() => ({ keys: [key.jwk] }))
    const urls = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), state.fake.url]))
    state.gateway = await startService(gatewayService, {
      env: testEnv(state.backends, { ...urls, CACHE_PREFIX: `${uniqueName('gw')}:` }),
      shared: { cache: state.backends.cache.cache, bus: state.backends.bus.bus },
      log: createLogger('silent'),
      port: 0
    })
  })
  after(async () => {
    await state.gateway.close()
    await state.fake.close()
    await state.backends.cleanup()
  })

  it('carries the product\'s name and mark, not the framework\'s', async () => {
    const page = await (await fetch(`${state.gateway.url}/docs/static/index.html`)).text()
    assert.match(page, /<title>Gatehouse API reference<\/title>/)
    const initializer = await (await fetch(`${state.gateway.url}/docs/static/swagger-initializer.js`)).text()
    const logo = Buffer.from(initializer.match(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/)?.[1] ?? '', 'base64').toString()
    assert.match(logo, /aria-label="Gatehouse"/)
    assert.doesNotMatch(logo, /fastify/i)
  })
})
