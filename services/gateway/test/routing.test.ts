import { request } from 'node:http'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import type { App } from '@app/kit/http'
import { installRouting, readRouting, unroutedRefusal } from '../src/routing.ts'
import { signToken, useGateway } from './helper.ts'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** The path exactly as written (fetch would resolve its dot segments first). */
function rawCall (base: string, path: string, method = 'GET', headers: Record<string, string> = {}) {
  return new Promise<{ status: number, headers: Headers, body: any }>((resolve, reject) => {
    const { hostname, port } = new URL(base)
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
        body: JSON.parse(Buffer.concat(chunks).toString() || 'null')
      }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('gateway routing and edge policy', () => {
  const gw = useGateway()

  /** Sends a request that must be answered by the gateway itself; the next one, which does reach the upstream, proves it did not. */
  async function answeredByGateway (path: string, status: number, code: string, options: { method?: string, headers?: Record<string, string> } = {}) {
    const res = await rawCall(gw.gateway.url, path, options.method, options.headers)
    assert.equal(res.status, status, `${options.method ?? 'GET'} ${path}: ${JSON.stringify(res.body)}`)
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(res.body.code, code)
    assert.ok(res.body.requestId)
    const marker = `/api/v1/auth/validate?after=${encodeURIComponent(path)}`
    assert.equal((await gw.call(marker, {}, 'POST')).status, 200)
    const seen = gw.fake.seen.map(s => s.url)
    assert.equal(seen.at(-1), marker)
    assert.equal(seen.at(-2) === path, false, `${path} reached the upstream`)
    return res
  }

  it('answers internal paths 404 without reaching a service, however they are spelt', async () => {
    for (const path of ['/internal/notifications/email', '/internal/users/lookup?email=a@b.c', '/%69nternal/audit/events', '/internal']) {
      await answeredByGateway(path, 404, 'not_found', { method: path.includes('lookup') ? 'GET' : 'POST' })
    }
  })

  it('answers unknown paths, unknown API versions and routes no policy names 404 without reaching a service', async () => {
    const unknownVersion = await answeredByGateway('/api/v7/users/me', 404, 'not_found')
    assert.match(unknownVersion.body.detail, /API version v7 does not exist/)
    await answeredByGateway('/api/v1/nowhere', 404, 'not_found')
    await answeredByGateway('/api/v1/users/me/secrets', 404, 'not_found')
    await answeredByGateway('/api/v1/auth/login', 404, 'not_found', { method: 'DELETE' })
  })

  it('answers paths a service could read otherwise (dot segments, encoded slashes, doubled slashes, an escaped prefix) 404', async () => {
    for (const path of ['/api/v1/orders/../users/register', '/api/v1/users/%2e%2e/register', '/api/v1/users/a%2F..%2Fb', '/api/v1//users/me', '/api/v1/%75sers/register']) {
      await answeredByGateway(path, 404, 'not_found', { method: 'POST' })
    }
  })

  it('answers a path with a `#` 404 without reaching a service: Fastify would route the path before it, unjudged', async () => {
    const user = await signToken(gw.key, { claims: { sub: 'u-1', roles: ['user'] } })
    for (const [method, path, headers] of [['GET', '/api/v1/users#/x', {}], ['GET', '/api/v1/users#', bearer(user)], ['POST', '/api/v1/orders#', {}],
      ['GET', '/api/v1/users/me#', {}], ['GET', '/api/v1/audit/events#x', bearer(user)], ['POST', '/api/v1/auth/login#', {}], ['GET', '/api/v1/users?x=1#y', bearer(user)]] as const) {
      await answeredByGateway(path, 404, 'not_found', { method, headers })
    }
  })

  it('refuses an authenticated route without a token 401, and an admin route without the admin role 403, before proxying', async () => {
    await answeredByGateway('/api/v1/users/me', 401, 'unauthorized')
    await answeredByGateway('/api/v1/orders', 401, 'unauthorized', { method: 'POST' })
    await answeredByGateway('/rpc/auth.v1.AuthService/GetProfile', 401, 'unauthorized', { method: 'POST' })
    const user = await signToken(gw.key, { claims: { sub: 'u-1', roles: ['user'] } })
    for (const [method, path] of [['GET', '/api/v1/audit/events'], ['GET', '/api/v1/users'], ['DELETE', '/api/v1/users/u-2'], ['POST', '/api/v1/users/u-2/disable']]) {
      const res = await answeredByGateway(path!, 403, 'forbidden', { method, headers: bearer(user) })
      assert.match(res.body.detail, /administrators/)
    }
  })

  it('lets public routes through anonymously, own-resource routes with any identity, admin routes with the admin role', async () => {
    assert.equal((await gw.call('/api/v1/auth/login', {}, 'POST')).status, 200)
    assert.equal((await gw.call('/rpc/auth.v1.AuthService/ValidatePhoneNumberLogin', {}, 'POST')).status, 200)
    assert.equal((await gw.call('/api/v1/email-verification/verify?token=x')).status, 200)
    const user = await signToken(gw.key, { claims: { sub: 'u-1', roles: ['user'] } })
    // Someone else's id: the service decides whether the caller may see it.
    const other = await gw.call('/api/v1/users/u-2', bearer(user))
    assert.equal(other.status, 200)
    assert.equal(other.body.url, '/api/v1/users/u-2')
    const admin = await signToken(gw.key, { claims: { sub: 'u-9', roles: ['user', 'admin'] } })
    const audit = await gw.call('/api/v1/audit/events?limit=5', bearer(admin))
    assert.equal(audit.status, 200)
    assert.equal(audit.body.url, '/api/v1/audit/events?limit=5')
  })

  it('keeps its own operational routes', async () => {
    assert.equal((await gw.call('/healthz')).status, 200)
  })
})

describe('deny by default', () => {
  /** A bare server with the gateway's routing, a route no policy names, and the health endpoints. */
  async function withRouting () {
    const app = Fastify() as unknown as App
    const routing = installRouting(app, { ...readRouting({ GATEWAY_ROUTES: '', GATEWAY_RETIRED_ROUTES: '', GATEWAY_IP_RULES: '' }, ['user']), clientIpOf: () => '127.0.0.1', now: () => 0 })
    app.addHook('onRequest', routing.answerMiss)
    app.get('/healthz', async () => 'ok')
    app.get('/readyz', async () => 'ok')
    app.get('/unlisted', async () => 'reached')
    app.get('/unlisted/*', async (request) => unroutedRefusal(request) ?? 'reached')
    return app
  }

  it('refuses a request Fastify routes but no route of the table or the gateway names; only the health endpoints go on unclassified', async () => {
    const app = await withRouting()
    try {
      for (const url of ['/unlisted', '/unlisted/x?y=1']) {
        const res = await app.inject({ url })
        assert.equal(res.statusCode, 404, `${url}: ${res.body}`)
        assert.equal(res.json().code, 'not_found')
      }
      for (const url of ['/healthz', '/readyz', '/healthz?x=1']) assert.equal((await app.inject({ url })).statusCode, 200, url)
    } finally {
      await app.close()
    }
  })
})
