import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { freePort, openTestBackends, startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { gatewayService } from '../src/service.ts'
import { numbersOf, parseSamples } from '../src/admin-health-metrics.ts'
import { newSigningKey, signToken, startFakeServices } from './helper.ts'

const BUDGET_MS = 600

/** What the notification instance's /metrics says (prom-client's text format, trimmed). */
const NOTIFICATION_METRICS = `# HELP http_requests_total HTTP requests handled
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/api/v1/notifications/me",status="200",service="notification"} 7
http_requests_total{method="POST",route="/internal/notifications/email",status="202",service="notification"} 3
http_requests_total{method="GET",route="/api/v1/notifications",status="500",service="notification"} 2
http_requests_total{method="GET",route="/metrics",status="200",service="notification"} 40
http_requests_total{method="GET",route="/readyz",status="503",service="notification"} 5
# TYPE gatehouse_outbox_backlog gauge
gatehouse_outbox_backlog{service="notification"} 4
gatehouse_outbox_abandoned{service="notification"} 1
gatehouse_dead_letter_messages{queue="notification.events",service="notification"} 2
gatehouse_dead_letter_messages{queue="notification.deliveries",service="notification"} 1
gatehouse_deliveries_total{channel="email",provider="inbox",status="sent",service="notification"} 11
gatehouse_deliveries_total{channel="sms",provider="twilio",status="sent",service="notification"} 2
gatehouse_deliveries_total{channel="sms",provider="twilio",status="retry",service="notification"} 3
gatehouse_deliveries_total{channel="sms",provider="twilio",status="failed",service="notification"} 1
http_request_duration_seconds_bucket{le="0.1",method="GET",route="/x",status="200",service="notification"} 9
`

type Handler = (req: IncomingMessage, res: ServerResponse) => void

async function serve (handler: Handler) {
  const server = createServer(handler)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

/** A notification instance that is up with its cache degraded, with numbers. */
const degradedNotification: Handler = (req, res) => {
  if (req.url === '/readyz') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"degraded","checks":{"db":"ok","cache":"degraded","bus":"ok"}}')
  else if (req.url === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(NOTIFICATION_METRICS)
  else res.writeHead(404).end()
}

/** Takes every request and never answers. */
const hanging: Handler = () => {}

describe('GET /api/v1/admin/health', () => {
  const state = {} as {
    backends: TestBackends
    key: Awaited<ReturnType<typeof newSigningKey>>
    closers: Array<() => Promise<void>>
    gateway: Awaited<ReturnType<typeof startTestService<typeof gatewayService.configSchema>>>
  }
  before(async () => {
    state.backends = await openTestBackends()
    state.key = await newSigningKey()
    state.closers = []
    const fake = await startFakeServices(() => ({ keys: [state.key.jwk] }))
    const notification = await serve(degradedNotification)
    const stuck = await serve(hanging)
    state.closers.push(fake.close, notification.close, stuck.close)
    const nothing = `http://127.0.0.1:${await freePort()}`
    const urls: Partial<Record<ServiceName, string>> = {
      notification: notification.url,
      order: nothing,
      audit: stuck.url,
      // Two instances, one of them gone: the service still serves, degraded.
      password: `${fake.url},http://127.0.0.1:${await freePort()}`
    }
    const env = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway')
      .map(s => [serviceUrlVariable(s), urls[s] ?? fake.url]))
    state.gateway = await startTestService(gatewayService, {
      ...env,
      CACHE_PREFIX: `${uniqueName('gw')}:`,
      GATEWAY_DOCS_ENABLED: 'false',
      GATEWAY_ADMIN_HEALTH_TIMEOUT_MS: String(BUDGET_MS)
    }, state.backends)
  })
  after(async () => {
    await state.gateway?.cleanup()
    for (const close of state.closers ?? []) await close()
    await state.backends?.cleanup()
  })

  const health = async (roles?: string[]) => {
    const token = roles ? await signToken(state.key, { claims: { sub: 'admin-1', roles } }) : undefined
    const started = performance.now()
    const res = await fetch(`${state.gateway.url}/api/v1/admin/health`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    return { status: res.status, headers: res.headers, body: await res.json() as Record<string, any>, ms: performance.now() - started }
  }

  it('answers 401 without a token and 403 to a user who is no admin', async () => {
    const anonymous = await health()
    assert.deepEqual([anonymous.status, anonymous.body.code], [401, 'unauthorized'])
    const user = await health(['user'])
    assert.deepEqual([user.status, user.body.code], [403, 'forbidden'])
  })

  it('shows every service, the down ones as down, and still answers 200 within the budget', async () => {
    const res = await health(['user', 'admin'])
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(res.headers.get('cache-control'), 'no-store')
    assert.ok(res.ms < BUDGET_MS + 1500, `answered in ${Math.round(res.ms)} ms although one instance never answers`)
    const byName = Object.fromEntries((res.body.services as Array<{ name: string }>).map(s => [s.name, s])) as Record<string, any>
    assert.deepEqual(Object.keys(byName).sort(), ['audit', 'auth', 'email-verification', 'gateway', 'notification', 'order', 'otp', 'password', 'user'])
    assert.equal(res.body.status, 'down')
    assert.match(res.body.checkedAt, /^\d{4}-\d\d-\d\dT/)

    assert.equal(byName.order.status, 'down')
    assert.deepEqual(byName.order.instances.map((i: any) => [i.status, i.error]), [['down', 'unreachable']])
    assert.equal(byName.order.metrics, null)
    assert.equal(byName.audit.status, 'down')
    assert.deepEqual(byName.audit.instances.map((i: any) => [i.status, i.error]), [['down', 'timeout']])

    assert.equal(byName.password.status, 'degraded', 'one of two instances is gone')
    assert.deepEqual(byName.password.instances.map((i: any) => i.status).sort(), ['down', 'ok'])

    assert.equal(byName.notification.status, 'degraded')
    assert.deepEqual(byName.notification.checks, { db: 'ok', cache: 'degraded', bus: 'ok' })
    assert.deepEqual(byName.notification.metrics, {
      requests: 12,
      errors: 2,
      outboxBacklog: 4,
      outboxAbandoned: 1,
      deadLetters: 3,
      deliveries: { sent: 13, retry: 3, failed: 1 }
    })

    assert.equal(byName.user.status, 'ok')
    assert.equal(byName.user.metrics, null, 'an answer that is not Prometheus text gives no numbers')
    assert.equal(byName.gateway.instances[0].url, 'self')
    assert.ok(byName.gateway.metrics.requests >= 2, 'the gateway counts its own requests')
    assert.equal(byName.gateway.metrics.outboxBacklog, null, 'the gateway has no outbox')
  })
})

describe('reading the numbers from Prometheus text', () => {
  it('takes label values with escaped quotes and commas, and skips other metrics unparsed', () => {
    const samples = parseSamples('http_requests_total{route="/a,\\"b\\"",status="200"} 3\nhttp_requests_total_other 9\nnodejs_heap 1\n')
    assert.deepEqual(samples, [{ name: 'http_requests_total', labels: { route: '/a,"b"', status: '200' }, value: 3 }])
  })

  it('gives null for what a service does not have', () => {
    assert.deepEqual(numbersOf('http_requests_total{route="/x",status="503"} 2\n'), {
      requests: 2, errors: 2, outboxBacklog: null, outboxAbandoned: null, deadLetters: null, deliveries: null
    })
  })
})
