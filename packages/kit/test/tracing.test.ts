import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { createMemoryBus } from '../src/bus/index.ts'
import type { CloudEvent } from '../src/bus/index.ts'
import { createEvent } from '../src/bus/event.ts'
import { createMemoryCache, withLocalFallback } from '../src/cache/index.ts'
import { createServiceClient } from '../src/client/index.ts'
import { ConfigError } from '../src/config/index.ts'
import { createLogger } from '../src/log/index.ts'
import { openTestDb, startOtlpReceiver, waitFor } from '../src/testing/index.ts'
import {
  activeTraceHeaders, contextFrom, openTracing, parseOtlpHeaders, SpanKind, tracedBus, tracedCache, tracedDb, tracingOff, withTraceContext
} from '../src/tracing/index.ts'

const TRACE = '0af7651916cd43dd8448eb211c80319c'
const PARENT = 'b7ad6b7169203331'
const TRACEPARENT = `00-${TRACE}-${PARENT}-01`

function inMemory (service = 'test') {
  const exporter = new InMemorySpanExporter()
  const tracing = openTracing({ service, version: '1.0.0', exporter, scheduleDelayMs: 10 })
  return {
    tracing,
    async spans (): Promise<ReadableSpan[]> {
      await tracing.flush()
      return exporter.getFinishedSpans()
    }
  }
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId

describe('tracing off', () => {
  it('installs nothing: the db, cache and bus are the very objects given, and events get no trace context', async () => {
    const off = openTracing({ service: 'test', version: '1', endpoint: undefined })
    assert.equal(off, tracingOff)
    assert.equal(off.enabled, false)
    const { db, cleanup } = await openTestDb('tracing_off')
    after(cleanup)
    const cache = withLocalFallback(createMemoryCache(), createLogger('silent'))
    const bus = createMemoryBus({ maxAttempts: 1, retryBaseMs: 1 })
    after(() => bus.close())
    assert.equal(tracedDb(db, off), db)
    assert.equal(tracedCache(cache, off), cache)
    assert.equal(tracedBus(bus, off), bus)
    const event = withTraceContext(createEvent('/services/test', 'test.happened', {}), off)
    assert.equal('traceparent' in event, false)
  })
})

describe('trace context', () => {
  it('reads a W3C traceparent and writes the active span\'s', async () => {
    const { tracing } = inMemory()
    const parent = contextFrom({ traceparent: TRACEPARENT })
    await tracing.span('work', { parent }, async (span) => {
      const headers = activeTraceHeaders()!
      assert.equal(headers.traceparent, `00-${TRACE}-${span.spanContext().spanId}-01`)
    })
    assert.equal(activeTraceHeaders(), undefined, 'nothing outside a span')
    assert.equal(contextFrom({ traceparent: 'garbage' }), contextFrom(undefined), 'a malformed traceparent starts a new trace')
  })

  it('parses OTEL_EXPORTER_OTLP_HEADERS', () => {
    assert.deepEqual(parseOtlpHeaders('api-key=abc%3D%3D, x-tenant = t1,broken'), { 'api-key': 'abc==', 'x-tenant': 't1' })
    assert.equal(parseOtlpHeaders(''), undefined)
  })

  it('a stray % in OTEL_EXPORTER_OTLP_HEADERS is a config error naming the variable, never quoting the secret', () => {
    for (const [value, part] of [['api-key=s3cr%t-v4lue', 'the value of pair 1 of 1'], ['x-tenant=t1,api%zzkey=s3cr3t-v4lue', 'the name of pair 2 of 2']] as const) {
      assert.throws(() => parseOtlpHeaders(value), (err: unknown) => {
        assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`)
        assert.match(err.message, /OTEL_EXPORTER_OTLP_HEADERS/)
        assert.ok(err.message.includes(part), err.message)
        for (const secret of ['s3cr', 'v4lue', 'api%zz']) assert.equal(err.message.includes(secret), false, err.message)
        return true
      })
    }
  })

  it('marks a span failed when its work throws, and rethrows', async () => {
    const { tracing, spans } = inMemory()
    await assert.rejects(tracing.span('fails', {}, async () => { throw new Error('boom') }), /boom/)
    const [span] = await spans()
    assert.equal(span!.status.code, 2)
    assert.equal(span!.status.message, 'boom')
  })
})

describe('client spans of the database and the cache', () => {
  it('records statements and transactions made inside a trace, and nothing outside one', async () => {
    const { tracing, spans } = inMemory()
    const { db: raw, cleanup } = await openTestDb('tracing_db')
    after(cleanup)
    const db = tracedDb(raw, tracing)
    await db.query('select 1 as outside')
    await tracing.span('request', { kind: SpanKind.SERVER }, async () => {
      await db.query('select $1::int as one', [1])
      await db.tx(async (tx) => { await tx.query('select 2 as two') })
    })
    const all = await spans()
    assert.deepEqual(all.map(s => s.name).sort(), ['db SELECT', 'db SELECT', 'db transaction', 'request'])
    const request = all.find(s => s.name === 'request')!
    const transaction = all.find(s => s.name === 'db transaction')!
    const inTx = all.find(s => s.attributes['db.query.text'] === 'select 2 as two')!
    assert.equal(parentOf(transaction), request.spanContext().spanId)
    assert.equal(parentOf(inTx), transaction.spanContext().spanId)
    assert.equal(inTx.kind, SpanKind.CLIENT)
    assert.equal(inTx.attributes['db.system.name'], 'postgresql')
    assert.equal(all.some(s => String(s.attributes['db.query.text']).includes('outside')), false)
  })

  it('records cache commands without their keys', async () => {
    const { tracing, spans } = inMemory()
    const cache = tracedCache(withLocalFallback(createMemoryCache(), createLogger('silent')), tracing)
    await tracing.span('request', {}, async () => {
      await cache.set('user:someone@example.com', 'v', 60)
      assert.equal(await cache.get('user:someone@example.com'), 'v')
    })
    const all = await spans()
    assert.deepEqual(all.map(s => s.name).sort(), ['cache get', 'cache set', 'request'])
    assert.equal(JSON.stringify(all.map(s => s.attributes)).includes('someone'), false)
  })
})

describe('across the bus', () => {
  it('publishes under a producer span, child of the event\'s context, and consumes under a consumer span, child of the producer', async () => {
    const { tracing, spans } = inMemory()
    const bus = tracedBus(createMemoryBus({ maxAttempts: 1, retryBaseMs: 1 }), tracing)
    after(() => bus.close())
    const received: CloudEvent[] = []
    let consumerContext: string | undefined
    await bus.subscribe({ group: 'g', bindings: ['test.*'] }, async (event) => {
      received.push(event)
      consumerContext = activeTraceHeaders()?.traceparent
    })
    // Written inside a request: the event carries the request's context (as the outbox row stores it).
    const event = await tracing.span('request', { parent: contextFrom({ traceparent: TRACEPARENT }) }, async () =>
      withTraceContext(createEvent('/services/test', 'test.happened', { n: 1 }), tracing))
    assert.match(event.traceparent!, new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`))
    await bus.publish(event)
    await waitFor(() => received.length === 1)
    const all = await waitFor(async () => { const s = await spans(); return s.length === 3 && s })
    const producer = all.find(s => s.kind === SpanKind.PRODUCER)!
    const consumer = all.find(s => s.kind === SpanKind.CONSUMER)!
    const request = all.find(s => s.name === 'request')!
    assert.equal(producer.name, 'publish test.happened')
    assert.equal(parentOf(producer), request.spanContext().spanId)
    assert.equal(consumer.name, 'consume test.happened')
    assert.equal(parentOf(consumer), producer.spanContext().spanId)
    assert.equal(consumer.spanContext().traceId, TRACE)
    assert.equal(received[0]!.traceparent, `00-${TRACE}-${producer.spanContext().spanId}-01`)
    assert.equal(consumerContext, `00-${TRACE}-${consumer.spanContext().spanId}-01`, 'the handler runs inside the consumer span')
  })
})

describe('service calls', () => {
  it('sends the client span as the callee\'s parent', async () => {
    const seen: Array<string | undefined> = []
    const server = createServer((req, res) => { seen.push(req.headers.traceparent as string | undefined); res.writeHead(200, { 'content-type': 'application/json' }).end('{}') })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    after(() => new Promise<void>(resolve => server.close(() => resolve())))
    const { tracing, spans } = inMemory('caller')
    const baseUrls = [`http://127.0.0.1:${(server.address() as AddressInfo).port}`]
    const client = createServiceClient({ baseUrls, timeoutMs: 2000, tracing, callee: 'callee' })
    const untraced = createServiceClient({ baseUrls, timeoutMs: 2000 })
    after(() => { client.close(); untraced.close() })
    await tracing.span('request', { parent: contextFrom({ traceparent: TRACEPARENT }) }, async () => {
      await client.call('GET', '/internal/thing')
      await untraced.call('GET', '/internal/thing')
    })
    const call = (await spans()).find(s => s.kind === SpanKind.CLIENT)!
    assert.equal(call.name, 'GET callee')
    assert.equal(seen[0], `00-${TRACE}-${call.spanContext().spanId}-01`)
    assert.equal(seen[1], undefined, 'a client without tracing adds nothing')
  })
})

describe('export over OTLP/HTTP', () => {
  it('sends each service\'s spans as JSON under its own service name, in one process', async () => {
    const receiver = await startOtlpReceiver()
    after(() => receiver.close())
    const a = openTracing({ service: 'alpha', version: '2.0.0', endpoint: `${receiver.endpoint}/`, scheduleDelayMs: 10 })
    const b = openTracing({ service: 'beta', version: '2.0.0', endpoint: receiver.endpoint, scheduleDelayMs: 10 })
    await a.span('one', { parent: contextFrom({ traceparent: TRACEPARENT }) }, async () => {
      await b.span('two', {}, async () => {})
    })
    await Promise.all([a.shutdown(), b.shutdown()])
    const spans = await waitFor(() => receiver.spans.length === 2 && receiver.spans)
    const one = spans.find(s => s.name === 'one')!
    const two = spans.find(s => s.name === 'two')!
    assert.equal(one.service, 'alpha')
    assert.equal(two.service, 'beta')
    assert.equal(one.traceId, TRACE)
    assert.equal(one.parentSpanId, PARENT)
    assert.equal(two.parentSpanId, one.spanId)
    assert.equal(receiver.rejected, 0)
  })
})
