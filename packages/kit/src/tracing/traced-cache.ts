import { context, trace } from '@opentelemetry/api'
import type { FallbackCache } from '../cache/cache.fallback.ts'
import { SpanKind } from './tracing.ts'
import type { Tracing } from './tracing.ts'

const COMMANDS = ['get', 'set', 'setIfAbsent', 'delete', 'getAndDelete', 'incr', 'admitInOrder', 'ttl'] as const

/**
 * The cache with a client span per command made inside a trace; keys are not
 * recorded (they name users and destinations). Tracing off: the cache itself.
 */
export function tracedCache (cache: FallbackCache, tracing: Tracing): FallbackCache {
  if (!tracing.enabled) return cache
  const traced: Record<string, unknown> = { ...cache }
  for (const command of COMMANDS) {
    const run = cache[command] as (...args: unknown[]) => Promise<unknown>
    traced[command] = (...args: unknown[]) => trace.getSpan(context.active())
      ? tracing.span(`cache ${command}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': cache.kind === 'redis' ? 'redis' : 'memory', 'db.operation.name': command, 'cache.degraded': cache.isDegraded() }
      }, () => run.apply(cache, args))
      : run.apply(cache, args)
  }
  return traced as unknown as FallbackCache
}
