import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:http2'
import type { ClientHttp2Session, IncomingHttpHeaders, IncomingHttpStatusHeader, OutgoingHttpHeaders } from 'node:http2'
import { writeFile } from 'node:fs/promises'
import { ConfigError } from '@app/kit/config'
import { openTestBackends } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { gatewayTls } from '../src/tls.ts'
import { startGatewayInFront } from './gateway-in-front.ts'
import { newSigningKey, signToken, startFakeServices } from './helper.ts'
import { selfSignedCertificate } from './self-signed.ts'
import type { SelfSigned } from './self-signed.ts'

interface Answer { status: number, headers: IncomingHttpHeaders, body: string, protocol: string }

/** One request over HTTPS from a client that offers no h2 in ALPN (Node's https client offers none). */
function viaHttp1 (url: string, ca: Buffer, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${url}${path}`, { ca, headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, protocol: `HTTP/${res.httpVersion}` }))
    })
    req.on('error', reject).end()
  })
}

/** One request on an HTTP/2 session. */
function viaHttp2 (session: ClientHttp2Session, headers: OutgoingHttpHeaders, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined })
    let answer: IncomingHttpHeaders & IncomingHttpStatusHeader = {}
    let text = ''
    stream.on('response', (h) => { answer = h })
    stream.setEncoding('utf8').on('data', (chunk: string) => { text += chunk })
    stream.on('end', () => resolve({ status: Number(answer[':status']), headers: answer, body: text, protocol: 'HTTP/2' }))
    stream.on('error', reject)
    if (body !== undefined) stream.end(body)
  })
}

const YEAR_OF_HSTS = 'max-age=31536000; includeSubDomains'

describe('the gateway terminating TLS', () => {
  let backends: TestBackends
  let certificate: Awaited<ReturnType<typeof selfSignedCertificate>>
  let key: Awaited<ReturnType<typeof newSigningKey>>
  let fake: Awaited<ReturnType<typeof startFakeServices>>
  let gateway: Awaited<ReturnType<typeof startGatewayInFront>>
  const tlsEnv = (c: SelfSigned) => ({ GATEWAY_TLS_CERT: c.certPath, GATEWAY_TLS_KEY: c.keyPath })

  before(async () => {
    backends = await openTestBackends()
    certificate = await selfSignedCertificate()
    key = await newSigningKey()
    fake = await startFakeServices(() => ({ keys: [key.jwk] }))
    gateway = await startGatewayInFront(fake.url, backends, tlsEnv(certificate))
  })
  after(async () => {
    await gateway?.cleanup()
    await fake?.close()
    await certificate?.remove()
    await backends?.cleanup()
  })

  const seenSince = (count: number) => fake.seen.slice(count).filter(s => s.url.startsWith('/api/'))

  it('serves HTTPS over HTTP/1.1 to a client that does not offer h2, through to the upstream, with HSTS', async () => {
    assert.match(gateway.url, /^https:\/\//)
    const res = await viaHttp1(gateway.url, certificate.cert, '/api/v1/password/reset?token=x', { 'x-request-id': 'tls-h1' })
    assert.equal(res.protocol, 'HTTP/1.1')
    assert.equal(res.status, 200)
    assert.equal(res.headers['strict-transport-security'], YEAR_OF_HSTS)
    assert.equal(res.headers['x-request-id'], 'tls-h1')
    const echoed = JSON.parse(res.body)
    assert.equal(echoed.url, '/api/v1/password/reset?token=x')
    assert.equal(echoed.headers['x-request-id'], 'tls-h1')
  })

  it('serves HTTP/2 by ALPN and forwards to the HTTP/1.1 upstream without pseudo-headers, bodies and tokens included', async () => {
    const session = connect(gateway.url, { ca: certificate.cert })
    try {
      const get = await viaHttp2(session, { ':method': 'GET', ':path': '/api/v1/password/reset?token=y', 'x-request-id': 'tls-h2' })
      assert.equal(session.alpnProtocol, 'h2')
      assert.equal(get.status, 200)
      assert.equal(get.headers['strict-transport-security'], YEAR_OF_HSTS)
      const echoed = JSON.parse(get.body)
      assert.equal(echoed.method, 'GET')
      assert.equal(echoed.url, '/api/v1/password/reset?token=y')
      assert.deepEqual(Object.keys(echoed.headers).filter(name => name.startsWith(':')), [])
      assert.ok(echoed.headers.host, 'the upstream gets a Host header in place of :authority')
      assert.equal(get.headers.connection, undefined)

      const body = JSON.stringify({ email: 'h2@example.com', password: 'correct horse battery' })
      const post = await viaHttp2(session, { ':method': 'POST', ':path': '/api/v1/users/register', 'content-type': 'application/json' }, body)
      assert.equal(post.status, 200)
      assert.equal(JSON.parse(post.body).body, body)

      const token = await signToken(key)
      const me = await viaHttp2(session, { ':method': 'GET', ':path': '/api/v1/users/me', authorization: `Bearer ${token}` })
      assert.equal(me.status, 200)
      assert.ok(JSON.parse(me.body).headers['x-identity-assertion'], 'the verified identity went along')
    } finally {
      session.close()
    }
  })

  it('answers a path with a `#` 404 over HTTP/2 too, reaching no service', async () => {
    const before = fake.seen.length
    const session = connect(gateway.url, { ca: certificate.cert })
    try {
      for (const [method, path] of [['GET', '/api/v1/users#/x'], ['POST', '/api/v1/orders#'], ['GET', '/api/v1/users/me#']]) {
        const res = await viaHttp2(session, { ':method': method, ':path': path })
        assert.equal(res.status, 404, `${method} ${path}`)
        assert.equal(JSON.parse(res.body).code, 'not_found')
      }
    } finally {
      session.close()
    }
    assert.deepEqual(seenSince(before), [])
  })

  it('serves no plain HTTP on the HTTPS port: the connection is dropped and nothing reaches a service', async () => {
    const before = fake.seen.length
    const plain = gateway.url.replace(/^https:/, 'http:')
    await assert.rejects(new Promise((resolve, reject) => {
      httpRequest(`${plain}/api/v1/password/reset`, { agent: false }, resolve).on('error', reject).end()
    }), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET')
    assert.deepEqual(seenSince(before), [])
  })

  it('answers oversized headers 431 over HTTP/1.1, and 431 or a stream reset over HTTP/2, reaching no service', async () => {
    const before = fake.seen.length
    const padding = { 'x-padding': 'a'.repeat(20_000) }
    const res = await viaHttp1(gateway.url, certificate.cert, '/api/v1/password/reset', padding)
    assert.equal(res.status, 431)
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
    assert.equal(JSON.parse(res.body).code, 'header_too_large')
    // Sent at once, the list may arrive before the client acknowledged the limit (the gateway answers 431);
    // after the settings exchange, HTTP/2 itself resets the stream.
    const session = connect(gateway.url, { ca: certificate.cert })
    const settled = new Promise(resolve => session.once('remoteSettings', resolve))
    try {
      for (const when of ['at once', 'once settled']) {
        if (when === 'once settled') await settled
        const refused = await viaHttp2(session, { ':method': 'GET', ':path': '/api/v1/password/reset', ...padding }).catch((err: NodeJS.ErrnoException) => err)
        if (refused instanceof Error) {
          assert.equal((refused as NodeJS.ErrnoException).code, 'ERR_HTTP2_STREAM_ERROR', `${when}: ${String(refused)}`)
        } else {
          assert.equal(refused.status, 431, when)
          assert.equal(JSON.parse(refused.body).code, 'header_too_large', when)
        }
      }
      assert.equal((await viaHttp2(session, { ':method': 'GET', ':path': '/api/v1/password/reset' })).status, 200, 'the session goes on')
    } finally {
      session.close()
    }
    assert.equal(seenSince(before).length, 1, 'only the last, ordinary request')
  })

  it('sends the configured HSTS max-age, and a GOAWAY to HTTP/2 clients while draining and on close, which waits for none', { timeout: 30_000 }, async (t) => {
    const own = await startGatewayInFront(fake.url, backends, { ...tlsEnv(certificate), GATEWAY_HSTS_MAX_AGE_SECONDS: '600' })
    t.after(() => own.cleanup())
    const idle = connect(own.url, { ca: certificate.cert })
    const busy = connect(own.url, { ca: certificate.cert })
    const goaways = [idle, busy].map(session => new Promise(resolve => session.once('goaway', resolve)))
    const res = await viaHttp2(idle, { ':method': 'GET', ':path': '/api/v1/password/reset' })
    assert.equal(res.headers['strict-transport-security'], 'max-age=600; includeSubDomains')

    own.app.lifecycle.startDraining()
    const during = await viaHttp2(busy, { ':method': 'GET', ':path': '/api/v1/password/reset' })
    assert.equal(during.status, 200, 'still served while draining')
    assert.equal(during.headers['x-instance-draining'], '1')
    await goaways[1]

    await own.cleanup()
    await goaways[0]
    idle.close()
    busy.close()
  })

  describe('configuration', () => {
    const refusal = async (env: Record<string, string>, pattern: RegExp) => {
      await assert.rejects(startGatewayInFront(fake.url, backends, env), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err))
        assert.ok(err.problems.some(p => pattern.test(p)), err.problems.join('; '))
        return true
      })
    }

    it('refuses to start with a certificate file that cannot be read, naming GATEWAY_TLS_CERT', async () => {
      await refusal({ GATEWAY_TLS_CERT: `${certificate.certPath}.missing`, GATEWAY_TLS_KEY: certificate.keyPath }, /^GATEWAY_TLS_CERT names a file that cannot be read \(ENOENT\)/)
    })

    it('refuses to start with the key of another certificate, naming GATEWAY_TLS_KEY', async () => {
      const other = await selfSignedCertificate()
      try {
        await refusal({ GATEWAY_TLS_CERT: certificate.certPath, GATEWAY_TLS_KEY: other.keyPath }, /^GATEWAY_TLS_KEY is not the private key of the certificate/)
      } finally {
        await other.remove()
      }
    })

    it('refuses a file that is not PEM, and one of the two settings without the other', async () => {
      const notPem = `${certificate.certPath}.txt`
      await writeFile(notPem, 'not a certificate')
      await refusal({ GATEWAY_TLS_CERT: notPem, GATEWAY_TLS_KEY: certificate.keyPath }, /^GATEWAY_TLS_CERT is not a PEM certificate/)
      await refusal({ GATEWAY_TLS_CERT: certificate.certPath }, /^GATEWAY_TLS_KEY is required/)
      await refusal({ GATEWAY_TLS_KEY: certificate.keyPath }, /^GATEWAY_TLS_CERT is required/)
    })

    it('takes PEM text in place of a path, with line breaks or \\n escapes', () => {
      const escaped = certificate.key.toString().replaceAll('\n', '\\n')
      const tls = gatewayTls({ GATEWAY_TLS_CERT: certificate.cert.toString(), GATEWAY_TLS_KEY: escaped })
      assert.deepEqual(tls, { cert: certificate.cert, key: certificate.key })
      assert.equal(gatewayTls({}), undefined)
    })
  })
})
