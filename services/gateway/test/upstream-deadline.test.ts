import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { connect, constants } from 'node:http2'
import type { ClientHttp2Session } from 'node:http2'
import type { ClientRequest, IncomingMessage } from 'node:http'
import { openTestBackends } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { startGatewayInFront } from './gateway-in-front.ts'
import { startUpstreamProcess } from './upstream-process-control.ts'
import type { UpstreamProcess } from './upstream-process-control.ts'
import { until } from './upstream-instance.ts'
import { selfSignedCertificate } from './self-signed.ts'

// How late past the deadline an answer may come on a machine at load 8.
const SLACK_MS = 4000
const PATH = '/api/v1/password/reset'

/** One connection per instance, no probes or polls of their own to the instance: it sees only what the tests send. */
const settings = (timeoutMs: number) => ({
  GATEWAY_UPSTREAM_TIMEOUT_MS: String(timeoutMs),
  GATEWAY_UPSTREAM_CONNECTIONS: '1',
  GATEWAY_HEALTH_CHECK_MS: '0',
  GATEWAY_REVOCATION_POLL_MS: '60000',
  GATEWAY_OPS_PORT: '0'
})

type Gateway = Awaited<ReturnType<typeof startGatewayInFront>>

/** A sample of the gateway's metrics (from its operations listener), summed over the labels that `labels` matches. */
async function metric (gateway: Gateway, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${gateway.app.opsUrl}/metrics`)).text()
  let sum = 0
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) sum += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return sum
}

/** A request on a connection of its own, which the test can drop at any moment. */
function open (url: string) {
  const req: ClientRequest = httpRequest(url, { agent: false })
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve)
    req.once('error', reject)
  })
  response.catch(() => {})
  req.end()
  return {
    response,
    /** The client goes away: its connection closes. */
    drop: () => { req.destroy() }
  }
}

async function problemCode (res: Response): Promise<string> {
  assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
  return (await res.json() as { code: string }).code
}

describe('one deadline per request, waiting for a connection included', () => {
  const TIMEOUT_MS = 1000
  let backends: TestBackends
  let upstream: UpstreamProcess
  let gateway: Gateway
  before(async () => {
    backends = await openTestBackends()
    upstream = await startUpstreamProcess()
    gateway = await startGatewayInFront(upstream.url, backends, settings(TIMEOUT_MS))
  })
  after(async () => {
    await gateway?.cleanup()
    await upstream?.stop()
    await backends?.cleanup()
  })

  it('answers 504 at the deadline when the instance is slow, and closes the request at the instance', async () => {
    const started = performance.now()
    const res = await fetch(`${gateway.url}${PATH}?id=slow&hang`)
    const elapsed = performance.now() - started
    assert.equal(res.status, 504)
    assert.equal(await problemCode(res), 'upstream_timeout')
    assert.ok(elapsed >= TIMEOUT_MS - 50, `not before the deadline (${Math.round(elapsed)} ms)`)
    assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `at the deadline (${Math.round(elapsed)} ms)`)
    await upstream.closed('slow')
    assert.equal(await metric(gateway, 'gateway_upstream_requests_cancelled_total', 'reason="deadline"'), 1)
  })

  it('answers 504 at the deadline a request that waited for the only connection all along, and never sends it afterwards', async () => {
    // The head at once, then the body for 2.5 s: the one connection is taken well past the deadline.
    const holding = await fetch(`${gateway.url}${PATH}?id=holding&trickle=2500`)
    assert.equal(holding.status, 200)
    const started = performance.now()
    const queued = await fetch(`${gateway.url}${PATH}?id=queued`)
    const elapsed = performance.now() - started
    assert.equal(queued.status, 504, 'not served late once the connection is free')
    assert.equal(await problemCode(queued), 'upstream_timeout')
    assert.ok(elapsed >= TIMEOUT_MS - 50, `not before the deadline (${Math.round(elapsed)} ms)`)
    assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `at the deadline (${Math.round(elapsed)} ms)`)
    assert.equal(await metric(gateway, 'gateway_upstream_requests_cancelled_total', 'reason="deadline"'), 2)

    assert.match(await holding.text(), /^\.+$/, 'the first answer is whole')
    // Sent after the one given up on, served after it would have been: it came through, that one never will.
    const next = await fetch(`${gateway.url}${PATH}?id=next`)
    assert.equal(next.status, 200)
    assert.deepEqual(await next.json(), { id: 'next' })
    // Its report comes after every earlier one.
    await upstream.answered('next')
    assert.ok(!upstream.arrivals().includes('queued'), 'the request given up on never reached the instance')
    assert.equal((await upstream.arrived('next')).connection, (await upstream.arrived('holding')).connection, 'the connection is kept: dropping the request closed nothing')
    assert.equal(await metric(gateway, 'gateway_upstream_requests_waiting', 'upstream="password"'), 0)
  })
})

describe('a client going away cancels its request at the instance', () => {
  // Far longer than any test here: only the client's leaving can end these requests in time.
  const TIMEOUT_MS = 60_000
  let backends: TestBackends
  let upstream: UpstreamProcess
  let gateway: Gateway
  before(async () => {
    backends = await openTestBackends()
    upstream = await startUpstreamProcess()
    gateway = await startGatewayInFront(upstream.url, backends, settings(TIMEOUT_MS))
  })
  after(async () => {
    await gateway?.cleanup()
    await upstream?.stop()
    await backends?.cleanup()
  })

  const clientClosed = () => metric(gateway, 'gateway_upstream_requests_cancelled_total', 'reason="client_closed"')

  it('closes the request at the instance when the client leaves while it waits for the answer', async () => {
    const request = open(`${gateway.url}${PATH}?id=waiting&hang`)
    await upstream.arrived('waiting')
    const dropped = performance.now()
    request.drop()
    await upstream.closed('waiting')
    const elapsed = performance.now() - dropped
    assert.ok(elapsed < SLACK_MS, `at once, not at the deadline (${Math.round(elapsed)} ms)`)
    assert.equal(await clientClosed(), 1)
  })

  it('closes it when the client leaves while the answer\'s body streams', async () => {
    const request = open(`${gateway.url}${PATH}?id=streaming&trickle=30000`)
    const res = await request.response
    assert.equal(res.statusCode, 200)
    await new Promise(resolve => res.once('data', resolve))
    request.drop()
    await upstream.closed('streaming')
    assert.equal(await clientClosed(), 2)
  })

  it('never sends a request whose client left while it waited for the only connection', async () => {
    const holding = open(`${gateway.url}${PATH}?id=first&hang`)
    await upstream.arrived('first')
    const queued = open(`${gateway.url}${PATH}?id=second`)
    await until(async () => await metric(gateway, 'gateway_upstream_requests_waiting', 'upstream="password"') === 2)
    queued.drop()
    await until(async () => await clientClosed() === 3)
    holding.drop()
    await upstream.closed('first')
    const next = await fetch(`${gateway.url}${PATH}?id=third`)
    assert.equal(next.status, 200)
    await upstream.answered('third')
    assert.ok(!upstream.arrivals().includes('second'), 'the request whose client left never reached the instance')
    assert.equal(await clientClosed(), 4)
  })
})

describe('an HTTP/2 client cancelling its stream cancels its request at the instance', () => {
  let backends: TestBackends
  let certificate: Awaited<ReturnType<typeof selfSignedCertificate>>
  let upstream: UpstreamProcess
  let gateway: Gateway
  let session: ClientHttp2Session
  before(async () => {
    backends = await openTestBackends()
    certificate = await selfSignedCertificate()
    upstream = await startUpstreamProcess()
    gateway = await startGatewayInFront(upstream.url, backends, {
      ...settings(60_000), GATEWAY_TLS_CERT: certificate.certPath, GATEWAY_TLS_KEY: certificate.keyPath
    })
    session = connect(gateway.url, { ca: certificate.cert })
  })
  after(async () => {
    session?.close()
    await gateway?.cleanup()
    await upstream?.stop()
    await certificate?.remove()
    await backends?.cleanup()
  })

  it('closes the request at the instance when the stream is reset while it waits, the session going on', async () => {
    const stream = session.request({ ':method': 'GET', ':path': `${PATH}?id=h2&hang` })
    stream.on('error', () => {})
    await upstream.arrived('h2')
    stream.close(constants.NGHTTP2_CANCEL)
    await upstream.closed('h2')
    assert.equal(await metric(gateway, 'gateway_upstream_requests_cancelled_total', 'reason="client_closed"'), 1)
    const next = session.request({ ':method': 'GET', ':path': `${PATH}?id=h2-next` })
    const status = await new Promise<number>((resolve, reject) => {
      next.once('response', headers => resolve(Number(headers[':status'])))
      next.once('error', reject)
    })
    next.resume()
    assert.equal(status, 200)
  })
})
