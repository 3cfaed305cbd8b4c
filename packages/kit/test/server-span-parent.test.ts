import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { createServer } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'
import { openTracing, trustTraceContextOf } from '../src/tracing/index.ts'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT = '00f067aa0ba902b7'

/** A traced app and the peers its trust was asked about. */
async function tracedApp (t: TestContext, trust?: (raw: IncomingMessage) => boolean) {
  const exporter = new InMemorySpanExporter()
  const tracing = openTracing({ service: 'test', version: '1', exporter, scheduleDelayMs: 10 })
  const app = await createServer({ name: 'test', log: createLogger('silent'), bodyLimit: 1024, metrics: false, tracing })
  app.get('/things', async () => ({ ok: true }))
  const asked: string[] = []
  // Set after the server was made, as the gateway's setup does.
  if (trust) trustTraceContextOf(tracing, raw => { asked.push(String(raw.headers['x-peer'])); return trust(raw) })
  t.after(() => app.close())
  const serverSpan = async (headers: Record<string, string>) => {
    exporter.reset()
    assert.equal((await app.inject({ method: 'GET', url: '/things', headers })).statusCode, 200)
    await tracing.flush()
    const [span] = exporter.getFinishedSpans()
    return span!
  }
  return { serverSpan, asked }
}

describe('whose traceparent a server span continues', () => {
  it('by default, every caller\'s (a service behind the gateway)', async (t) => {
    const { serverSpan } = await tracedApp(t)
    const span = await serverSpan({ traceparent: `00-${TRACE}-${PARENT}-01` })
    assert.equal(span.spanContext().traceId, TRACE)
    assert.equal(span.parentSpanContext?.spanId, PARENT)
  })

  it('restricted: an untrusted caller\'s starts a new trace, a trusted one\'s is continued, and nothing is asked without one', async (t) => {
    const { serverSpan, asked } = await tracedApp(t, raw => raw.headers['x-peer'] === 'proxy')
    const untrusted = await serverSpan({ traceparent: `00-${TRACE}-${PARENT}-00`, 'x-peer': 'client' })
    assert.notEqual(untrusted.spanContext().traceId, TRACE)
    assert.equal(untrusted.parentSpanContext, undefined)
    assert.equal(untrusted.spanContext().traceFlags & 1, 1, 'sampled by the service\'s own ratio, not the client\'s flag')

    const trusted = await serverSpan({ traceparent: `00-${TRACE}-${PARENT}-01`, 'x-peer': 'proxy' })
    assert.equal(trusted.spanContext().traceId, TRACE)
    assert.equal(trusted.parentSpanContext?.spanId, PARENT)

    await serverSpan({ 'x-peer': 'none' })
    assert.deepEqual(asked, ['client', 'proxy'], 'the trust is asked only of a request with a traceparent')
  })
})
