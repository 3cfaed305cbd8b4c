import { after, before, describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { openTestBackends, startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { gatewayService } from '../src/service.ts'

/**
 * A user-service stand-in with a body limit of its own: a larger body is
 * answered 413 as soon as its headers arrive, and the connection closed while
 * the gateway may still be writing it (as the issue saw: EPIPE at the gateway).
 */
async function strictUpstream (t: TestContext, limit: number) {
  const seen: Array<{ url: string, length: number }> = []
  let probes = 0
  const server = createServer((req, res) => {
    if (req.url === '/readyz') {
      probes++
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    }
    const length = Number(req.headers['content-length'] ?? 0)
    seen.push({ url: req.url ?? '', length })
    if (length > limit) {
      res.writeHead(413, { 'content-type': 'application/problem+json', connection: 'close' })
      res.end(JSON.stringify({ code: 'payload_too_large', status: 413 }), () => req.socket.destroy())
      return
    }
    req.resume()
    req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, get probes () { return probes } }
}

describe('request bodies over the limit', () => {
  let backends: TestBackends
  before(async () => { backends = await openTestBackends() })
  after(() => backends.cleanup())

  async function gatewayBefore (t: TestContext, userUrl: string, bodyLimit: number) {
    const others = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[])
      .filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), userUrl]))
    const gateway = await startTestService(gatewayService, {
      ...others,
      CACHE_PREFIX: `${uniqueName('gw')}:`,
      GATEWAY_DOCS_ENABLED: 'false',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '100000',
      BODY_LIMIT_BYTES: String(bodyLimit)
    }, backends)
    t.after(() => gateway.cleanup())
    return {
      url: gateway.url,
      async register (body: RequestInit['body'], headers: Record<string, string> = {}) {
        const res = await fetch(`${gateway.url}/api/v1/users/register`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit)
        return { status: res.status, headers: res.headers, body: await res.json() as Record<string, unknown> }
      },
      readiness: async () => ((await (await fetch(`${gateway.url}/readyz`)).json()) as { checks: Record<string, string> }).checks['upstream:user']
    }
  }

  const bigRegister = () => JSON.stringify({ email: 'big@example.com', password: 'correct horse battery', name: 'x'.repeat(200_000) })

  it('refuses a 200 KB register body with 413 before any upstream, and the instance stays in rotation', async (t) => {
    const user = await strictUpstream(t, 1_000_000)
    const gw = await gatewayBefore(t, user.url, 65_536)
    const res = await gw.register(bigRegister())
    assert.equal(res.status, 413)
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(res.body.code, 'payload_too_large')
    assert.deepEqual(user.seen.filter(s => s.url.startsWith('/api/')), [])
    assert.equal(await gw.readiness(), 'ok')
    assert.equal((await gw.register('{"email":"small@example.com"}')).status, 201)
  })

  it('answers a declared length far over the limit 413 at once and closes the connection, reading none of the rest', async (t) => {
    const user = await strictUpstream(t, 1_000_000)
    const gw = await gatewayBefore(t, user.url, 65_536)
    const { hostname, port } = new URL(gw.url)
    const socket = connect(Number(port), hostname)
    t.after(() => { socket.destroy() })
    socket.on('error', () => {})
    let answer = ''
    socket.setEncoding('latin1').on('data', (chunk: string) => { answer += chunk })
    const closed = new Promise<void>(resolve => socket.once('close', () => resolve()))
    // Ten gigabytes announced, a few bytes sent, and the socket kept open: before, the gateway waited to drain them all.
    socket.write(`POST /api/v1/users/register HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{"email":`)
    await closed
    assert.match(answer, /^HTTP\/1\.1 413 /)
    assert.match(answer, /\r\nconnection: close\r\n/i)
    assert.match(answer, /"code":"payload_too_large"/)
    assert.deepEqual(user.seen.filter(s => s.url.startsWith('/api/')), [])
  })

  it('counts the bytes of a chunked body and refuses it with 413 once it passes the limit', async (t) => {
    const user = await strictUpstream(t, 1_000_000)
    const gw = await gatewayBefore(t, user.url, 65_536)
    const chunk = new TextEncoder().encode('x'.repeat(16_384))
    let sent = 0
    const chunked = new ReadableStream<Uint8Array>({
      pull (controller) {
        if (sent++ < 20) controller.enqueue(chunk)
        else controller.close()
      }
    })
    const res = await gw.register(chunked)
    assert.equal(res.status, 413)
    assert.equal(res.body.code, 'payload_too_large')
    assert.deepEqual(user.seen.filter(s => s.url.startsWith('/api/')), [])
  })

  it('passes an upstream 413 that closed the connection through, and never marks the instance down for it', async (t) => {
    const user = await strictUpstream(t, 10_000)
    const gw = await gatewayBefore(t, user.url, 1_000_000)
    for (let i = 0; i < 3; i++) {
      const res = await gw.register(bigRegister())
      assert.equal(res.status, 413, `attempt ${i + 1}`)
      assert.equal(res.body.code, 'payload_too_large')
    }
    assert.equal(user.seen.filter(s => s.url.startsWith('/api/')).length, 3, 'each reached the one instance: it was never taken out')
    assert.equal(await gw.readiness(), 'ok')
    assert.equal((await gw.register('{"email":"small@example.com"}')).status, 201)
  })
})
