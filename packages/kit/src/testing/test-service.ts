import type { TObject, Static } from '@sinclair/typebox'
import type { Env } from '../config/index.ts'
import { openPostgres, quoteIdent } from '../db/index.ts'
import { callerHeaders } from '../http/index.ts'
import type { PgliteCluster } from '../db/index.ts'
import { createLogger } from '../log/index.ts'
import { startService } from '../service/start-service.ts'
import type { RunningService } from '../service/start-service.ts'
import type { ServiceDefinition } from '../service/define-service.ts'
import { busAdapters } from './test-bus.ts'
import type { TestBus } from './test-bus.ts'
import { openTestCache } from './test-cache.ts'
import type { TestCache } from './test-cache.ts'
import { openTestCluster, uniqueName } from './test-db.ts'

export const TEST_SERVICE_SECRET = 'test-service-secret-0123456789abcdef'

/** The same backends the service would get in production, picked by the environment: real servers when their URLs are set. */
export interface TestBackends {
  cluster: PgliteCluster | undefined
  cache: TestCache
  bus: TestBus
  schemaPrefix: string
  cleanup(): Promise<void>
}

export async function openTestBackends (): Promise<TestBackends> {
  const cluster = process.env.DATABASE_URL ? undefined : await openTestCluster()
  const cache = await openTestCache()
  const adapters = busAdapters()
  const bus = await adapters[adapters.length - 1]!.open()
  const schemaPrefix = `${uniqueName('t')}_`
  return {
    cluster,
    cache,
    bus,
    schemaPrefix,
    async cleanup () {
      await bus.cleanup()
      await cache.cleanup()
      await cluster?.close()
    }
  }
}

export function testEnv (backends: TestBackends, overrides: Env = {}): Env {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: process.env.DATABASE_URL,
    DB_SCHEMA_PREFIX: backends.schemaPrefix,
    DB_POOL_SIZE: '4',
    SERVICE_SECRET: TEST_SERVICE_SECRET,
    OUTBOX_POLL_MS: '50',
    ...overrides
  }
}

export interface TestService<C> extends RunningService<C> {
  backends: TestBackends
}

/**
 * Starts a service as production does (migrations, outbox relay, consumers),
 * on a free port, against fresh test backends; `cleanup` drops everything.
 */
export async function startTestService<S extends TObject> (definition: ServiceDefinition<S>, overrides: Env = {}, shared?: TestBackends): Promise<TestService<Static<S>> & { cleanup(): Promise<void> }> {
  const backends = shared ?? await openTestBackends()
  const running = await startService(definition, {
    env: testEnv(backends, overrides),
    shared: { ...(backends.cluster ? { cluster: backends.cluster } : {}), cache: backends.cache.cache, bus: backends.bus.bus },
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    port: 0
  })
  return {
    ...running,
    backends,
    async cleanup () {
      const { db, config } = running.ctx
      // Stopped first: its relay and retention job must not hold row locks that
      // the drop would deadlock with.
      await running.close()
      if (db.kind === 'postgres' && definition.stateless !== true && config.DATABASE_URL) {
        const admin = openPostgres({ url: config.DATABASE_URL, schema: 'public', poolSize: 1 })
        try {
          await admin.query(`drop schema if exists ${quoteIdent(db.schema)} cascade`)
        } finally {
          await admin.close()
        }
      }
      if (!shared) await backends.cleanup()
    }
  }
}

/** The identity headers the gateway would send for this caller, signed with the test secret. */
export function callerHeadersFor (userId: string, roles: string[] = ['user'], sessionId: string | null = null): Record<string, string> {
  return callerHeaders({ userId, roles, sessionId }, TEST_SERVICE_SECRET)
}
