import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServiceClient, parseInstanceSources } from '../src/client/index.ts'
import { ConfigError } from '../src/config/index.ts'

/** A real instance that answers with the path it was asked for. */
async function startEcho (t: TestContext) {
  const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url })))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return (server.address() as AddressInfo).port
}

describe('service URL lists with weights and DNS names', () => {
  it('parses fixed URLs with weights and dns:// names', () => {
    assert.deepEqual(parseInstanceSources(['http://10.0.0.5:3001/#weight=3', ' https://a.example ', 'dns://user.svc.cluster.local:3001#weight=2'], 'USER_SERVICE_URL'), [
      { kind: 'static', instance: { url: 'http://10.0.0.5:3001', weight: 3 } },
      { kind: 'static', instance: { url: 'https://a.example', weight: 1 } },
      { kind: 'dns', host: 'user.svc.cluster.local', port: 3001, weight: 2 }
    ])
  })

  it('refuses a bad entry with a config error naming the variable', () => {
    for (const bad of ['http://a:1#weight=0', 'http://a:1#weight=x', 'http://a:1#w=1', 'dns://a', 'dns://a:1/path', 'tcp://a:1', '10.0.0.5:3001']) {
      assert.throws(() => parseInstanceSources([bad], 'USER_SERVICE_URL'), (err: unknown) =>
        err instanceof ConfigError && err.message.includes('USER_SERVICE_URL') && err.message.includes(bad), bad)
    }
  })

  it('lets the service client call an instance given with a weight or as a DNS name', async (t) => {
    const port = await startEcho(t)
    for (const baseUrl of [`http://127.0.0.1:${port}#weight=3`, `dns://localhost:${port}`]) {
      const client = createServiceClient({ baseUrls: [baseUrl], timeoutMs: 2000 })
      t.after(() => client.close())
      assert.deepEqual(await client.call('GET', '/internal/echo', { query: { a: 1 } }), { path: '/internal/echo?a=1' }, baseUrl)
    }
  })
})
