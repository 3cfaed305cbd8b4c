import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createLogger } from '@app/kit/log'
import { startOtlpReceiver, waitFor } from '@app/kit/testing'
import type { OtlpReceiver, ReceivedSpan } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

/**
 * Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT at a receiver inside the test):
 * one order placed through the gateway is one trace, from the gateway through
 * the order service, its outbox and the bus, to the notification consumer and
 * the provider's send; and the lines the request logged carry its request id
 * and trace id.
 */
const SERVER = 2
const CLIENT = 3
const PRODUCER = 4
const CONSUMER = 5

const lines: string[] = []
// Debug: in one process the services write their access lines at debug, the gateway's at info.
const log = createLogger('debug', undefined, { write (chunk: string) { lines.push(chunk) } })
const logged = () => lines.map(line => JSON.parse(line) as Record<string, unknown>)
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const hex = (bytes: number) => randomBytes(bytes).toString('hex')

describe('one trace for one order, gateway to provider', () => {
  let receiver: OtlpReceiver
  // The test is the gateway's trusted proxy: the gateway continues only a trusted peer's traceparent.
  const settings: Record<string, string> = { GATEWAY_RATE_LIMIT_PER_MINUTE: '20000', OTEL_BSP_SCHEDULE_DELAY: '50', SERVICE_VERSION: 'test-1.2.3', GATEWAY_TRUSTED_PROXIES: 'loopback' }
  before(async () => {
    receiver = await startOtlpReceiver()
    settings.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint
  })
  // Registered after the receiver's hook: the platform starts once the endpoint is known.
  const gw = usePlatform(settings, { log })
  after(() => receiver.close())

  const inbox = async (to: string) => (await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(to)}`)).body.items as Array<{ subject: string | null, text: string }>

  it('records the order as one trace across the services, the outbox, the bus and the send, and logs its ids', async () => {
    const email = `traced.${hex(4)}@example.com`
    const password = 'correct horse battery'
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password })).status, 201)
    const link = await waitFor(async () => (await inbox(email)).find(m => m.subject?.startsWith('Confirm your email')), undefined, 50)
    const token = new URL(/https?:\/\/\S+/.exec(link.text)![0]).searchParams.get('token')
    assert.equal((await gw.json('POST', '/api/v1/email-verification/verify', { token })).status, 200)
    const { body: session } = await gw.json('POST', '/api/v1/auth/login', { email, password })

    // The caller's own trace: every span of the order must be in it.
    const traceId = hex(16)
    const callerSpan = hex(8)
    const order = { items: [{ sku: 'TEA-1', quantity: 2, unitPrice: 500 }], currency: 'EUR' }
    const placed = await gw.json('POST', '/api/v1/orders', order, { ...bearer(session.accessToken), traceparent: `00-${traceId}-${callerSpan}-01` })
    assert.equal(placed.status, 201)
    const requestId = placed.headers.get('x-request-id')!

    const ofTrace = () => receiver.spans.filter(s => s.traceId === traceId)
    const find = (spans: ReceivedSpan[], service: string, kind: number, name: RegExp) => spans.find(s => s.service === service && s.kind === kind && name.test(s.name))
    const spans = await waitFor(() => {
      const all = ofTrace()
      // Each service exports on its own schedule: wait for the spans asserted below, not only the last ones made.
      return find(all, 'notification', CLIENT, /^send email/) && find(all, 'notification', PRODUCER, /^publish notification\.sent$/) &&
        find(all, 'gateway', SERVER, /^POST /) && find(all, 'gateway', CLIENT, /^POST order/) && find(all, 'order', SERVER, /^POST /) &&
        find(all, 'order', PRODUCER, /^publish order\.created$/) && find(all, 'notification', CONSUMER, /^consume order\.created$/) && all
    }, 30_000, 50)

    const gatewayServer = find(spans, 'gateway', SERVER, /^POST /)
    assert.ok(gatewayServer, 'the gateway\'s server span')
    assert.equal(gatewayServer.parentSpanId, callerSpan, 'the gateway continues the caller\'s trace')
    const gatewayClient = find(spans, 'gateway', CLIENT, /^POST order/)
    assert.ok(gatewayClient, 'the gateway\'s call to the order service')
    const orderServer = find(spans, 'order', SERVER, /^POST /)
    assert.ok(orderServer, 'the order service\'s server span')
    assert.equal(orderServer.parentSpanId, gatewayClient.spanId)
    assert.equal(orderServer.attributes['http.response.status_code'], 201)
    assert.ok(spans.some(s => s.service === 'order' && s.kind === CLIENT && s.attributes['db.system.name'] === 'postgresql' && /insert into outbox/i.test(String(s.attributes['db.query.text']))),
      'the statement that writes the order and its outbox row')
    const publish = find(spans, 'order', PRODUCER, /^publish order\.created$/)
    assert.ok(publish, 'the outbox relay\'s publish of order.created')
    const consume = find(spans, 'notification', CONSUMER, /^consume order\.created$/)
    assert.ok(consume, 'the notification consumer')
    assert.equal(consume.parentSpanId, publish.spanId, 'the consumer continues from the publish')
    const send = find(spans, 'notification', CLIENT, /^send email/)!
    assert.equal(send.attributes['notification.outcome'], 'sent')
    assert.equal(JSON.stringify(send).includes(email), false, 'the send span does not name the recipient')
    assert.equal(send.parentSpanId, consume.spanId, 'the send continues from the consumer that queued it')
    // The send's record and its notification.sent event stay in the trace too.
    assert.ok(find(spans, 'notification', PRODUCER, /^publish notification\.sent$/))

    // One tree: every span's parent is in the trace (or is the caller's span).
    const ids = new Set([callerSpan, ...spans.map(s => s.spanId)])
    const orphans = spans.filter(s => !ids.has(s.parentSpanId)).map(s => `${s.service} ${s.name}`)
    assert.deepEqual(orphans, [])
    for (const service of ['gateway', 'order', 'notification']) assert.ok(spans.some(s => s.service === service), `${service} spans are in the trace`)
    assert.equal(receiver.rejected, 0)

    // The request's lines, in the gateway and in the order service, carry its request id and trace id.
    const ofRequest = logged().filter(line => line.requestId === requestId)
    assert.ok(ofRequest.some(line => line.service === 'gateway'), 'the gateway logged the request')
    assert.ok(ofRequest.some(line => line.service === 'order'), 'the order service logged the request')
    for (const line of ofRequest) {
      assert.equal(line.traceId, traceId, `traceId on: ${JSON.stringify(line)}`)
      assert.match(String(line.spanId), /^[0-9a-f]{16}$/)
    }
    for (const line of logged().filter(l => l.service !== undefined)) {
      assert.equal(line.version, 'test-1.2.3', `version on: ${JSON.stringify(line)}`)
    }
  })
})
