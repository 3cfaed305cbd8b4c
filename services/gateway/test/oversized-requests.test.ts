import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { useGateway } from './helper.ts'

const MAX_URL = 1000

describe('oversized URLs and headers at the gateway', () => {
  const gw = useGateway({ GATEWAY_MAX_URL_LENGTH: String(MAX_URL) })
  const reachedServices = (before: number) => gw.fake.seen.slice(before).filter(s => s.url.startsWith('/api/'))

  /** A public route's URL padded with a query to exactly `length` characters. */
  const urlOf = (length: number) => {
    const path = '/api/v1/password/reset?pad='
    return path + 'x'.repeat(length - path.length)
  }

  it('answers a URL one character over GATEWAY_MAX_URL_LENGTH 414 uri_too_long, and passes one at the limit', async () => {
    const before = gw.fake.seen.length
    const over = await gw.call(urlOf(MAX_URL + 1))
    assert.equal(over.status, 414)
    assert.match(String(over.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(over.body.code, 'uri_too_long')
    assert.match(over.body.detail, /1000 characters/)
    assert.ok(over.body.requestId)
    assert.equal(over.headers.get('x-content-type-options'), 'nosniff', 'the security headers came first')
    assert.deepEqual(reachedServices(before), [])
    assert.equal((await gw.call(urlOf(MAX_URL))).status, 200)
    assert.equal(reachedServices(before).length, 1)
  })

  it('answers headers over 16 KiB 431 header_too_large as problem+json, and serves the next connection', async () => {
    const before = gw.fake.seen.length
    const res = await fetch(`${gw.gateway.url}/api/v1/password/reset`, { headers: { 'x-padding': 'a'.repeat(20_000) } })
    assert.equal(res.status, 431)
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(res.headers.get('x-error-code'), 'header_too_large')
    const body = await res.json() as Record<string, unknown>
    assert.equal(body.code, 'header_too_large')
    assert.equal(body.status, 431)
    assert.equal(body.type, 'https://gatehouse.dev/problems/header_too_large')
    assert.ok(body.requestId)
    assert.deepEqual(reachedServices(before), [])
    assert.equal((await gw.call('/api/v1/password/reset')).status, 200)
  })

  it('sends no Strict-Transport-Security over plain HTTP (only with GATEWAY_TLS_CERT)', async () => {
    const res = await gw.call('/api/v1/password/reset')
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('strict-transport-security'), null)
  })
})
