import { openPostgres, quoteIdent } from '@app/kit/db'
import { createLogger } from '@app/kit/log'
import { openTestBackends, testEnv } from '@app/kit/testing'
import { startPlatform } from '@app/platform'

/**
 * The merged OpenAPI of the whole platform, started in this process on free
 * ports (embedded, or on the real servers when their URLs are set), as a test
 * sees it.
 */
export async function platformOpenApi (): Promise<unknown> {
  const backends = await openTestBackends()
  const platform = await startPlatform({
    env: testEnv(backends, {}),
    log: createLogger('silent'),
    ports: 'auto',
    shared: { ...(backends.cluster ? { cluster: backends.cluster } : {}), cache: backends.cache.cache, bus: backends.bus.bus }
  })
  try {
    const res = await fetch(`${platform.gatewayUrl}/openapi.json`)
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`)
    return await res.json()
  } finally {
    const schemas = [...platform.services.values()].map(r => r.ctx.db).filter(db => db.kind === 'postgres' && db.schema).map(db => db.schema)
    await platform.close()
    if (schemas.length > 0) {
      // On the real servers each run has its own schemas: dropped, as the e2e helper does.
      const db = openPostgres({ url: process.env.DATABASE_URL!, schema: 'public', poolSize: 1 })
      for (const schema of schemas) await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`)
      await db.close()
    }
    await backends.cleanup()
  }
}
