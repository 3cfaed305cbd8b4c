import { randomUUID } from 'node:crypto'
import type { TObject, Static } from '@sinclair/typebox'
import type { Env } from '../config/index.ts'
import { ANY_CALL, IDENTITY_ASSERTION_HEADER, internalCredential, SERVICE_TOKEN_HEADER, signIdentityAssertion } from '../http/index.ts'
import { DERIVED_KID, KEY_PURPOSES, loadServiceKeys } from '../keys/index.ts'
import type { ServiceKeys } from '../keys/index.ts'
import { SERVICE_PORTS } from '../service/ports.ts'
import type { ServiceName } from '../service/ports.ts'
import type { PgliteCluster } from '../db/index.ts'
import { createLogger } from '../log/index.ts'
import { startService } from '../service/start-service.ts'
import type { RunningService } from '../service/start-options.ts'
import { schemaName } from '../service/service-db.ts'
import type { ServiceDefinition } from '../service/define-service.ts'
import { busAdapters } from './test-bus.ts'
import type { TestBus } from './test-bus.ts'
import { openTestCache } from './test-cache.ts'
import type { TestCache } from './test-cache.ts'
import { trackLeftover } from './leftovers.ts'
import { dropSchemas, dropSchemasByPrefix, openTestCluster, uniqueName } from './test-db.ts'

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
  const schemaPrefix = `${uniqueName('t')}_`
  const url = process.env.DATABASE_URL
  // Every service started on these backends migrates a schema under the prefix; recorded
  // before any can, so a start that fails midway or a cleanup never reached leaves none.
  const forgetSchemas = url ? trackLeftover(`schemas ${schemaPrefix}*`, () => dropSchemasByPrefix(url, schemaPrefix)) : () => {}
  const opened: Array<() => Promise<void>> = [async () => {
    if (url) await dropSchemasByPrefix(url, schemaPrefix)
    forgetSchemas()
  }]
  try {
    const cluster = url ? undefined : await openTestCluster()
    if (cluster) opened.push(() => cluster.close())
    const cache = await openTestCache()
    opened.push(() => cache.cleanup())
    const adapters = busAdapters()
    const bus = await adapters[adapters.length - 1]!.open()
    opened.push(() => bus.cleanup())
    return {
      cluster,
      cache,
      bus,
      schemaPrefix,
      // The bus first, the schemas next: what services left running stops consuming before the drop.
      cleanup: () => runEvery(opened.toReversed())
    }
  } catch (err) {
    await runEvery(opened.toReversed()).catch(() => {})
    throw err
  }
}

/** Runs every step even when one throws (a later one may be what removes a leftover); then throws the first error. */
async function runEvery (steps: Array<() => Promise<void>>): Promise<void> {
  const errors: unknown[] = []
  for (const step of steps) {
    try {
      await step()
    } catch (err) {
      errors.push(err)
    }
  }
  if (errors.length > 0) throw errors[0]
}

export function testEnv (backends: TestBackends, overrides: Env = {}): Env {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: process.env.DATABASE_URL,
    DB_SCHEMA_PREFIX: backends.schemaPrefix,
    DB_POOL_SIZE: '4',
    SERVICE_SECRET: TEST_SERVICE_SECRET,
    // The keys SERVICE_SECRET would derive (kid derived-1), set as production sets them.
    ...Object.fromEntries(Object.values(KEY_PURPOSES).map(p => [p.variable, `${DERIVED_KID}:${TEST_SERVICE_SECRET}`])),
    OUTBOX_POLL_MS: '50',
    ...overrides
  }
}

export interface TestService<C> extends RunningService<C> {
  backends: TestBackends
}

/** How many test services of this process use each schema, and what forgets its leftover record. */
const schemaUsers = new Map<string, { count: number, forget: () => void }>()

/**
 * One more service on `schema` (a second instance on shared backends uses the first one's); the returned
 * function lets go of it, dropping the schema when it was the last one's, so neither a failed start nor the
 * cleanup of a second instance drops a schema another running instance still uses.
 */
function useSchema (url: string, schema: string): () => Promise<void> {
  const users = schemaUsers.get(schema)
  if (users) users.count += 1
  else schemaUsers.set(schema, { count: 1, forget: trackLeftover(`schema ${schema}`, () => dropSchemas(url, [schema])) })
  let released = false
  return async () => {
    if (released) return
    released = true
    const current = schemaUsers.get(schema)!
    if (--current.count > 0) return
    schemaUsers.delete(schema)
    await dropSchemas(url, [schema])
    current.forget()
  }
}

/**
 * Starts a service as production does (migrations, outbox relay, consumers),
 * on a free port, against fresh test backends; `cleanup` drops everything.
 */
export async function startTestService<S extends TObject> (definition: ServiceDefinition<S>, overrides: Env = {}, shared?: TestBackends): Promise<TestService<Static<S>> & { cleanup(): Promise<void> }> {
  const backends = shared ?? await openTestBackends()
  const env = testEnv(backends, overrides)
  const url = env.DATABASE_URL
  const stateful = definition.stateless !== true
  // What the service migrated: the backends' prefix unless the test chose another.
  const schema = schemaName(env.DB_SCHEMA_PREFIX ?? '', definition.name)
  const dropSchema = url && stateful ? useSchema(url, schema) : async () => {}
  let running: RunningService<Static<S>>
  try {
    running = await startService(definition, {
      env,
      shared: { ...(backends.cluster ? { cluster: backends.cluster } : {}), cache: backends.cache.cache, bus: backends.bus.bus },
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      port: 0
    })
  } catch (err) {
    // startService closed what it had opened, but not the schema it may have migrated.
    await runEvery([dropSchema, ...(shared ? [] : [() => backends.cleanup()])]).catch(() => {})
    throw err
  }
  return {
    ...running,
    backends,
    cleanup: () => runEvery([
      // Stopped first: its relay and retention job must not hold row locks that
      // the drop would deadlock with.
      () => running.close(),
      dropSchema,
      ...(shared ? [] : [() => backends.cleanup()])
    ])
  }
}

/** The keyrings every test service derives from TEST_SERVICE_SECRET (kid `derived-1`). */
export function testKeys (now?: () => number): ServiceKeys {
  return loadServiceKeys({ NODE_ENV: 'test', SERVICE_SECRET: TEST_SERVICE_SECRET }, now ? { now } : {})
}

const keys = testKeys()
const ALL_SERVICES = Object.keys(SERVICE_PORTS) as ServiceName[]

/**
 * The header of an internal call to `service`, as the service client sends it.
 * Each read of the header signs a fresh credential, so a helper object made once
 * stays valid for a whole test file.
 */
export function internalHeadersFor (service: ServiceName, caller = 'test'): Record<string, string> {
  return Object.defineProperty({}, SERVICE_TOKEN_HEADER, {
    enumerable: true,
    get: () => internalCredential({ keyring: keys.internal, caller, callee: service }, { method: ANY_CALL, path: ANY_CALL })
  })
}

export interface CallerHeaderOptions {
  /** The service the request goes to; unset: any service (an assertion naming all of them). */
  service?: ServiceName
  /** Epoch seconds of the last password or code proof; default: now (a fresh login). null: unknown. */
  authTime?: number | null
  /** The client address the gateway vouches for; default 127.0.0.1. */
  ip?: string
}

/**
 * The headers the gateway would send for this caller: a request id and an
 * identity assertion naming it. Every time the object is spread or sent, it
 * yields a new pair (services refuse an assertion seen twice), so one object
 * can be kept and used for many requests.
 */
export function callerHeadersFor (userId: string, roles: string[] = ['user'], sessionId: string | null = null, options: CallerHeaderOptions = {}): Record<string, string> {
  let counter = 0
  let pair = { rid: '', assertion: '', ridRead: true, assertionRead: true }
  const mint = () => {
    const rid = `test-${randomUUID()}-${counter++}`
    const user = { sub: userId, roles, sid: sessionId, authTime: options.authTime === undefined ? Math.floor(Date.now() / 1000) : options.authTime }
    const assertion = signIdentityAssertion(keys.identity, { audience: options.service ?? ALL_SERVICES, requestId: rid, ip: options.ip ?? '127.0.0.1', user, ttlSeconds: 30 })
    pair = { rid, assertion, ridRead: false, assertionRead: false }
  }
  const headers = {}
  // Read in this order by a spread or a request: the id first (a new pair), then its assertion.
  Object.defineProperty(headers, 'x-request-id', {
    enumerable: true,
    get: () => { if (pair.ridRead) mint(); pair.ridRead = true; return pair.rid }
  })
  Object.defineProperty(headers, IDENTITY_ASSERTION_HEADER, {
    enumerable: true,
    get: () => { if (pair.assertionRead) mint(); pair.assertionRead = true; return pair.assertion }
  })
  return headers as Record<string, string>
}
