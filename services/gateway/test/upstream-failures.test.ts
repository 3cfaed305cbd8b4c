import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:http2'
import type { ClientHttp2Session } from 'node:http2'
import { openTestBackends } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { startGatewayInFront } from './gateway-in-front.ts'
import { startMisbehavingUpstream } from './misbehaving-upstream.ts'
import { selfSignedCertificate } from './self-signed.ts'

const TIMEOUT_MS = 500
// How late past the timeout an answer may come on a machine at load 8.
const SLACK_MS = 4000

describe('an upstream that hangs or breaks the connection', () => {
  let backends: TestBackends
  let upstream: Awaited<ReturnType<typeof startMisbehavingUpstream>>
  let gateway: Awaited<ReturnType<typeof startGatewayInFront>>
  before(async () => {
    backends = await openTestBackends()
    upstream = await startMisbehavingUpstream()
    gateway = await startGatewayInFront(upstream.url, backends, { GATEWAY_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) })
  })
  after(async () => {
    await gateway?.cleanup()
    await upstream?.close()
    await backends?.cleanup()
  })

  async function problem (res: Response) {
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    const body = await res.json() as { code: string, status: number, requestId: string }
    assert.equal(body.status, res.status)
    assert.ok(body.requestId)
    return body
  }

  it('answers 504 upstream_timeout when the instance never answers, once the timeout has passed', async () => {
    const started = performance.now()
    const res = await fetch(`${gateway.url}/api/v1/password/reset?fail=hang`)
    const elapsed = performance.now() - started
    assert.equal(res.status, 504)
    assert.equal((await problem(res)).code, 'upstream_timeout')
    assert.ok(elapsed >= TIMEOUT_MS - 50, `not before the timeout (${Math.round(elapsed)} ms)`)
    assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `within the timeout (${Math.round(elapsed)} ms)`)
  })

  it('answers 502 bad_gateway when the instance resets the connection instead of answering a POST, sent once', async () => {
    // Only this request's: the gateway's own calls (the ended-sessions poll) reach the same instance.
    const sent = () => upstream.seen.filter(url => url === '/api/v1/users/register?fail=reset').length
    const before = sent()
    const res = await fetch(`${gateway.url}/api/v1/users/register?fail=reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(res.status, 502)
    assert.equal((await problem(res)).code, 'bad_gateway')
    assert.equal(sent() - before, 1, 'it may have been processed: never sent again')
  })

  it('breaks the client\'s response when the instance resets mid-body, never passing a truncated body off as whole', async () => {
    const res = await fetch(`${gateway.url}/api/v1/password/reset?fail=reset-mid-body`)
    assert.equal(res.status, 200, 'the status and headers had already gone out')
    await assert.rejects(res.text())
  })

  it('breaks the client\'s response when the instance stops sending mid-body, within the timeout', async () => {
    const started = performance.now()
    const res = await fetch(`${gateway.url}/api/v1/password/reset?fail=stall-mid-body`)
    assert.equal(res.status, 200)
    await assert.rejects(res.text())
    const elapsed = performance.now() - started
    assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `within the timeout (${Math.round(elapsed)} ms)`)
  })

  it('serves the next request normally after each failure', async () => {
    const res = await fetch(`${gateway.url}/api/v1/password/reset`)
    assert.equal(res.status, 200)
    assert.equal((await res.json() as { url: string }).url, '/api/v1/password/reset')
  })
})

describe('an upstream that hangs or breaks the connection, to an HTTP/2 client', () => {
  let backends: TestBackends
  let certificate: Awaited<ReturnType<typeof selfSignedCertificate>>
  let upstream: Awaited<ReturnType<typeof startMisbehavingUpstream>>
  let gateway: Awaited<ReturnType<typeof startGatewayInFront>>
  let session: ClientHttp2Session
  before(async () => {
    backends = await openTestBackends()
    certificate = await selfSignedCertificate()
    upstream = await startMisbehavingUpstream()
    gateway = await startGatewayInFront(upstream.url, backends, {
      GATEWAY_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS), GATEWAY_TLS_CERT: certificate.certPath, GATEWAY_TLS_KEY: certificate.keyPath
    })
    session = connect(gateway.url, { ca: certificate.cert })
  })
  after(async () => {
    session?.close()
    await gateway?.cleanup()
    await upstream?.close()
    await certificate?.remove()
    await backends?.cleanup()
  })

  /** The status and body of a GET, or the error that ended its stream. */
  const get = (path: string) => new Promise<{ status: number, body: string } | Error>((resolve) => {
    const stream = session.request({ ':method': 'GET', ':path': path })
    let status = 0
    let body = ''
    stream.on('response', (headers) => { status = Number(headers[':status']) })
    stream.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
    stream.on('end', () => resolve({ status, body }))
    stream.on('error', resolve)
  })

  it('answers 504 and 502 problems on the stream', async () => {
    const hang = await get('/api/v1/password/reset?fail=hang')
    assert.ok(!(hang instanceof Error), String(hang))
    assert.equal(hang.status, 504)
    assert.equal(JSON.parse(hang.body).code, 'upstream_timeout')
    const reset = await get('/api/v1/password/reset?fail=reset')
    assert.ok(!(reset instanceof Error), String(reset))
    assert.equal(reset.status, 502)
    assert.equal(JSON.parse(reset.body).code, 'bad_gateway')
  })

  it('resets the client\'s stream when the instance resets or stalls mid-body, never ending a truncated body cleanly', async () => {
    for (const failure of ['reset-mid-body', 'stall-mid-body']) {
      const res = await get(`/api/v1/password/reset?fail=${failure}`)
      assert.ok(res instanceof Error, `${failure}: ended cleanly with ${JSON.stringify(res)}`)
      assert.equal((res as NodeJS.ErrnoException).code, 'ERR_HTTP2_STREAM_ERROR', failure)
    }
    const ok = await get('/api/v1/password/reset')
    assert.ok(!(ok instanceof Error) && ok.status === 200, 'the session goes on')
  })
})
