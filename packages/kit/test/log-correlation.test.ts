import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { createServer } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'
import { openTracing, SpanKind } from '../src/tracing/index.ts'
import type { Tracing } from '../src/tracing/index.ts'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT = '00f067aa0ba902b7'

/** An app whose route logs through its request's logger and through the service's own (as handlers using `ctx.log` do). */
async function appLogging (t: TestContext, tracing?: Tracing) {
  const lines: string[] = []
  const log = createLogger('info', undefined, { write (chunk: string) { lines.push(chunk) } })
  const app = await createServer({ name: 'test', log, bodyLimit: 1024, metrics: false, ...(tracing ? { tracing } : {}) })
  app.get('/things/:id', async (request) => {
    request.log.info('from the request logger')
    await new Promise(resolve => setImmediate(resolve))
    log.info('from the service logger')
    return { ok: true }
  })
  t.after(() => app.close())
  return { app, log, lines: () => lines.map(line => ({ raw: line, json: JSON.parse(line) as Record<string, unknown> })) }
}

describe('log lines and the request they belong to', () => {
  it('tracing on: every line of a request has its request id, trace id and span id, once each, and the request is a server span', async (t) => {
    const exporter = new InMemorySpanExporter()
    const tracing = openTracing({ service: 'test', version: '1', exporter, scheduleDelayMs: 10 })
    const { app, log, lines } = await appLogging(t, tracing)
    const res = await app.inject({ method: 'GET', url: '/things/42?token=secret', headers: { traceparent: `00-${TRACE}-${PARENT}-01`, 'x-request-id': 'req-abc' } })
    assert.equal(res.statusCode, 200)
    log.info('after the request')
    await tracing.flush()
    const [span] = exporter.getFinishedSpans()
    assert.equal(span!.name, 'GET /things/:id')
    assert.equal(span!.kind, SpanKind.SERVER)
    assert.equal(span!.parentSpanContext?.spanId, PARENT)
    assert.equal(span!.attributes['http.response.status_code'], 200)
    assert.equal(span!.attributes['url.path'], '/things/42', 'no query: links carry tokens there')
    const spanId = span!.spanContext().spanId

    const all = lines()
    const ofRequest = all.filter(l => ['from the request logger', 'from the service logger', 'request'].includes(String(l.json.msg)))
    assert.equal(ofRequest.length, 3)
    for (const { raw, json } of ofRequest) {
      assert.equal(json.requestId, 'req-abc', raw)
      assert.equal(json.traceId, TRACE, raw)
      assert.equal(json.spanId, spanId, raw)
      for (const field of ['"requestId"', '"traceId"', '"spanId"']) assert.equal(raw.split(field).length, 2, `${field} once in ${raw}`)
    }
    const outside = all.find(l => l.json.msg === 'after the request')!.json
    assert.equal(outside.traceId, undefined)
    assert.equal(outside.requestId, undefined)
  })

  it('tracing off: the request\'s own lines keep their request id, and no trace fields appear', async (t) => {
    const { app, lines } = await appLogging(t)
    const res = await app.inject({ method: 'GET', url: '/things/42', headers: { traceparent: `00-${TRACE}-${PARENT}-01`, 'x-request-id': 'req-off' } })
    assert.equal(res.statusCode, 200)
    const all = lines().map(l => l.json)
    for (const msg of ['from the request logger', 'request']) {
      const line = all.find(l => l.msg === msg)!
      assert.equal(line.requestId, 'req-off')
      assert.equal(line.traceId, undefined)
    }
    assert.equal(all.find(l => l.msg === 'from the service logger')!.traceId, undefined)
  })
})
