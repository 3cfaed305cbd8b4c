import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { ConfigError } from '@app/kit/config'
import { startOtlpReceiver, waitFor } from '@app/kit/testing'
import type { OtlpReceiver } from '@app/kit/testing'
import { traceContextTrust } from '../src/trace-context-trust.ts'
import { useGateway } from './helper.ts'

/**
 * The gateway is the public edge: a client's W3C trace context is believed
 * (as its server span's parent, and passed on to the service) only from a
 * trusted proxy (GATEWAY_TRUST_TRACE_CONTEXT, by default the peers of
 * GATEWAY_TRUSTED_PROXIES). The test client is 127.0.0.1.
 */
const SERVER = 2
// A public route of the user service: an anonymous request reaches the upstream, which echoes the headers it got.
const ROUTE = '/api/v1/users/email-change/undo'
const hex = (bytes: number) => randomBytes(bytes).toString('hex')

function clientContext () {
  const traceId = hex(16)
  const spanId = hex(8)
  // Sampled flag off: a client trusted with it would keep its request out of tracing.
  return { traceId, spanId, headers: { traceparent: `00-${traceId}-${spanId}-00`, tracestate: 'vendor=client-chosen' } }
}

/** A gateway in front of the fake services, tracing to a receiver inside the test when `traced`. */
function gatewayWith (env: Record<string, string>, traced: boolean) {
  const state = {} as { receiver: OtlpReceiver }
  const settings: Record<string, string> = { OTEL_BSP_SCHEDULE_DELAY: '10', ...env }
  if (traced) {
    before(async () => {
      state.receiver = await startOtlpReceiver()
      settings.OTEL_EXPORTER_OTLP_ENDPOINT = state.receiver.endpoint
    })
    after(() => state.receiver.close())
  }
  // Registered after the receiver's hook: the gateway starts once the endpoint is known.
  const gw = useGateway(settings)
  return {
    gw,
    /** The gateway's server span in the trace the service was called in (the `traceparent` it received). */
    serverSpanOf: (traceparent: string) => waitFor(() => state.receiver.spans.find(s =>
      s.service === 'gateway' && s.kind === SERVER && s.traceId === traceparent.split('-')[1]), 10_000, 10)
  }
}

describe('trace context from a client that is not a trusted proxy (the default)', () => {
  describe('tracing on', () => {
    const { gw, serverSpanOf } = gatewayWith({}, true)

    it('is not the parent of the gateway\'s span, and is not forwarded: the service gets the gateway\'s own', async () => {
      const client = clientContext()
      const res = await gw.call(ROUTE, { ...client.headers })
      assert.equal(res.status, 200)
      const received = res.body.headers as Record<string, string>
      assert.match(received.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/, 'the gateway\'s own, sampled by its ratio (1)')
      assert.ok(!received.traceparent!.includes(client.traceId), 'not the client\'s trace')
      assert.equal(received.tracestate, undefined, 'the client\'s tracestate is dropped')
      const span = await serverSpanOf(received.traceparent!)
      assert.notEqual(span.traceId, client.traceId)
      assert.equal(span.parentSpanId, '', 'a new trace, not a child of the client\'s span')
    })

    it('a request without any trace context is a new trace as before', async () => {
      const res = await gw.call(ROUTE)
      assert.equal(res.status, 200)
      assert.equal((await serverSpanOf(res.body.headers.traceparent)).parentSpanId, '')
    })
  })

  describe('tracing off', () => {
    const { gw } = gatewayWith({}, false)

    it('neither traceparent nor tracestate reaches the service', async () => {
      const client = clientContext()
      const res = await gw.call(ROUTE, client.headers)
      assert.equal(res.status, 200)
      assert.equal(res.body.headers.traceparent, undefined)
      assert.equal(res.body.headers.tracestate, undefined)
    })
  })
})

describe('trace context from a trusted proxy (GATEWAY_TRUSTED_PROXIES)', () => {
  describe('tracing on', () => {
    const { gw, serverSpanOf } = gatewayWith({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1,::1' }, true)

    it('is the parent of the gateway\'s span, and the service continues the same trace', async () => {
      const client = clientContext()
      // Sampled this time: the proxy's decision stands.
      const traceparent = client.headers.traceparent.replace(/-00$/, '-01')
      const res = await gw.call(ROUTE, { ...client.headers, traceparent })
      assert.equal(res.status, 200)
      const received = res.body.headers as Record<string, string>
      assert.match(received.traceparent ?? '', new RegExp(`^00-${client.traceId}-[0-9a-f]{16}-01$`))
      assert.equal(received.tracestate, 'vendor=client-chosen')
      const span = await serverSpanOf(received.traceparent!)
      assert.equal(span.traceId, client.traceId)
      assert.equal(span.parentSpanId, client.spanId)
    })
  })

  describe('tracing off', () => {
    const { gw } = gatewayWith({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1,::1' }, false)

    it('passes through untouched', async () => {
      const client = clientContext()
      const res = await gw.call(ROUTE, client.headers)
      assert.equal(res.status, 200)
      assert.equal(res.body.headers.traceparent, client.headers.traceparent)
      assert.equal(res.body.headers.tracestate, client.headers.tracestate)
    })
  })

  describe('GATEWAY_TRUST_TRACE_CONTEXT=never', () => {
    const { gw } = gatewayWith({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1,::1', GATEWAY_TRUST_TRACE_CONTEXT: 'never' }, false)

    it('drops it even from a trusted proxy', async () => {
      const res = await gw.call(ROUTE, clientContext().headers)
      assert.equal(res.status, 200)
      assert.equal(res.body.headers.traceparent, undefined)
      assert.equal(res.body.headers.tracestate, undefined)
    })
  })
})

describe('traceContextTrust', () => {
  const from = (remoteAddress: string) => ({ socket: { remoteAddress }, headers: {} }) as unknown as IncomingMessage

  it('trusted-proxies: the peers of GATEWAY_TRUSTED_PROXIES (IPv4-mapped too), nobody when it is empty', () => {
    const trust = traceContextTrust('trusted-proxies', ['10.0.0.0/8', 'loopback'])
    assert.equal(trust(from('10.1.2.3')), true)
    assert.equal(trust(from('::ffff:10.1.2.3')), true)
    assert.equal(trust(from('::1')), true)
    assert.equal(trust(from('203.0.113.7')), false)
    assert.equal(traceContextTrust('trusted-proxies', [])(from('127.0.0.1')), false)
  })

  it('always and never ignore the proxies', () => {
    assert.equal(traceContextTrust('always', [])(from('203.0.113.7')), true)
    assert.equal(traceContextTrust('never', ['loopback'])(from('127.0.0.1')), false)
  })

  it('a malformed proxy list stops start-up naming GATEWAY_TRUSTED_PROXIES', () => {
    assert.throws(() => traceContextTrust('trusted-proxies', ['not-an-address']), (err: unknown) =>
      err instanceof ConfigError && /GATEWAY_TRUSTED_PROXIES/.test(err.message))
  })
})
