import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { selfSignedCertificate } from '../../../services/gateway/test/self-signed.ts'
import { probe, probeUrl } from '../src/health-probe.ts'

const servers: Server[] = []
after(() => { for (const s of servers) s.close() })

async function listen (server: Server): Promise<number> {
  servers.push(server)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

describe('the container health check', () => {
  it('asks the service of the container on loopback at its PORT, 8080 when unset', () => {
    assert.equal(probeUrl({ PORT: '8083', HOST: '0.0.0.0' }).href, 'http://127.0.0.1:8083/healthz')
    assert.equal(probeUrl({}).href, 'http://127.0.0.1:8080/healthz')
    assert.equal(probeUrl({ PORT: '0' }, '/readyz').href, 'http://127.0.0.1:8080/readyz')
    assert.equal(probeUrl({ PORT: '8081', HOST: '10.1.2.3' }).href, 'http://10.1.2.3:8081/healthz', 'bound to one address: that one')
    assert.equal(probeUrl({ PORT: '8081', HOST: 'fd00::5' }).href, 'http://[fd00::5]:8081/healthz')
  })

  it('uses HTTPS for the gateway (alone or all-in-one) when it has a certificate, plain HTTP for the others', () => {
    assert.equal(probeUrl({ SERVICE: 'gateway', GATEWAY_TLS_CERT: '/tls/cert.pem', PORT: '8443' }).protocol, 'https:')
    assert.equal(probeUrl({ GATEWAY_TLS_CERT: '/tls/cert.pem' }).protocol, 'https:')
    assert.equal(probeUrl({ SERVICE: 'auth', GATEWAY_TLS_CERT: '/tls/cert.pem' }).protocol, 'http:')
  })

  it('is healthy on a 2xx only, and unhealthy when nothing listens or the answer is late', async () => {
    const ok = await listen(createServer((_req, res) => res.end('{"status":"ok"}')))
    const failing = await listen(createServer((_req, res) => { res.statusCode = 503; res.end() }))
    const slow = await listen(createServer(() => {}))
    const closed = await listen(createServer())
    await new Promise(resolve => servers.pop()!.close(resolve))
    assert.equal(await probe(new URL(`http://127.0.0.1:${ok}/healthz`), 2000), true)
    assert.equal(await probe(new URL(`http://127.0.0.1:${failing}/readyz`), 2000), false)
    assert.equal(await probe(new URL(`http://127.0.0.1:${closed}/healthz`), 2000), false)
    assert.equal(await probe(new URL(`http://127.0.0.1:${slow}/healthz`), 200), false)
  })

  it('accepts the gateway\'s own certificate over loopback', async (t) => {
    const tls = await selfSignedCertificate()
    t.after(() => tls.remove())
    const port = await listen(createTlsServer({ cert: tls.cert, key: tls.key }, (_req, res) => res.end('ok')))
    assert.equal(await probe(probeUrl({ GATEWAY_TLS_CERT: tls.certPath, PORT: String(port), HOST: '0.0.0.0' }), 2000), true)
  })
})
