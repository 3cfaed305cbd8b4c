import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { createLogger } from '../src/log/index.ts'
import { openTracing } from '../src/tracing/index.ts'

/**
 * Its own file (its own process): the correlation mixin is installed once
 * tracing is on anywhere in the process, and this starts with it off.
 */
const { mixinSym } = pino.symbols
const mixinOf = (logger: object) => (logger as Record<symbol, unknown>)[mixinSym]

describe('the correlation mixin is installed only once tracing is on', () => {
  it('tracing off: a logger, and its children, write lines with no mixin call; once tracing opens, all of them correlate', async () => {
    const lines: string[] = []
    const log = createLogger('info', undefined, { write (chunk: string) { lines.push(chunk) } })
    const child = log.child({ service: 'test' })
    assert.equal(mixinOf(log), undefined, 'no mixin with tracing off')
    assert.equal(mixinOf(child), undefined)

    const exporter = new InMemorySpanExporter()
    const tracing = openTracing({ service: 'test', version: '1', exporter, scheduleDelayMs: 10 })
    assert.equal(typeof mixinOf(log), 'function', 'given to the loggers made before')
    assert.equal(typeof mixinOf(child), 'function', 'and their children, made before too')
    assert.equal(typeof mixinOf(createLogger('silent')), 'function', 'loggers made after get it at once')

    let spanIds: { traceId: string, spanId: string } | undefined
    await tracing.span('work', {}, async (span) => {
      spanIds = span.spanContext()
      child.info('inside a span')
    })
    child.info('outside')
    const [inside, outside] = lines.map(line => JSON.parse(line) as Record<string, unknown>)
    assert.equal(inside!.traceId, spanIds!.traceId)
    assert.equal(inside!.spanId, spanIds!.spanId)
    assert.equal(outside!.traceId, undefined)
    await tracing.shutdown()
  })
})
