import type { ReadinessCheck } from '../http/index.ts'
import type { ServiceBackends } from './open-backends.ts'

// Only the database is required: without the cache or the broker a service
// still serves (local counters; events wait in the outbox), so they make it
// `degraded`, never unready; a load balancer keeps it in rotation.
const optional = (ping: () => Promise<void>) => async (): Promise<void | 'degraded'> => {
  try { await ping() } catch { return 'degraded' }
}

/** The `/readyz` checks of the backends: the cache, and for a stateful service the database and the bus. */
export function backendReadiness ({ db, cache, bus }: ServiceBackends, stateful: boolean): ReadinessCheck[] {
  const readiness: ReadinessCheck[] = [{ name: 'cache', check: optional(() => cache.ping()) }]
  if (stateful) {
    readiness.push({ name: 'database', check: () => db.ping() }, { name: 'bus', check: optional(() => bus.ping()) })
  }
  return readiness
}
