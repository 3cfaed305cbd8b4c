import type { FastifyInstance } from 'fastify'

export interface ReadinessCheck {
  name: string
  /** Resolves when the dependency answers; `degraded` means the service works, with less (e.g. a cache fallback). */
  check(): Promise<void | 'degraded'>
}

const CHECK_TIMEOUT_MS = 2000

async function runCheck (check: ReadinessCheck): Promise<'ok' | 'degraded' | 'down'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'down'>(resolve => { timer = setTimeout(() => resolve('down'), CHECK_TIMEOUT_MS) })
  try {
    const result = await Promise.race([check.check().then(r => r ?? 'ok'), timeout])
    return result
  } catch {
    return 'down'
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `/healthz`: the process answers. `/readyz`: its database, cache and bus
 * answer (503 when one is down), and it is not shutting down (503 `draining`).
 */
export function installHealthRoutes (app: FastifyInstance, checks: ReadinessCheck[], draining: () => boolean = () => false): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (draining()) return reply.code(503).send({ status: 'draining', checks: {} })
    const results = await Promise.all(checks.map(async c => [c.name, await runCheck(c)] as const))
    const status = results.some(([, r]) => r === 'down') ? 'down' : results.some(([, r]) => r === 'degraded') ? 'degraded' : 'ok'
    reply.code(status === 'down' ? 503 : 200)
    return { status, checks: Object.fromEntries(results) }
  })
}
