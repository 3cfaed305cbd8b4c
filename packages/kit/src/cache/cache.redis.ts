import { Redis } from 'ioredis'
import type { Logger } from '../log/index.ts'
import type { Cache } from './cache.ts'

export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string
  /** Prepended to every key, so services (and test runs) can share one Redis. */
  prefix?: string
  /** How long `openRedisCache` waits for the connection before rejecting, in milliseconds (default 5 000). */
  connectTimeoutMs?: number
  /** A command that gets no reply within this many milliseconds rejects (default 2 000). */
  commandTimeoutMs?: number
  /**
   * Resolve at once and connect in the background (default false: wait, and
   * reject when Redis is unreachable). A service that can work without Redis
   * starts anyway and uses it from the moment it answers.
   */
  background?: boolean
  /** Told when the connection is lost and when it comes back. */
  log?: Pick<Logger, 'warn' | 'info'>
}

export type RedisCache = Cache & {
  /** True while the connection is established and commands go straight to the server. */
  isConnected(): boolean
  /** The underlying connection; keys seen through it carry the prefix. */
  client: Redis
  /** Prepended to every key; code that uses `client` directly must prepend it too. */
  keyPrefix: string
}

// INCRBY and EXPIRE in one script so the TTL is set exactly when the key is
// created, even when several instances race on the same counter.
const INCR_WITH_TTL = `
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if created then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return value`

// admitInOrder: ARGV holds kind, TTL and limit of each key's step; answers {index, ttl} of the
// refusing step (1-based), or {0, 0}.
const ADMIT_IN_ORDER = `
for i = 1, #KEYS do
  local kind, ttl, limit = ARGV[i * 3 - 2], tonumber(ARGV[i * 3 - 1]), tonumber(ARGV[i * 3])
  if kind == 'once' then
    if not redis.call('SET', KEYS[i], '1', 'EX', ttl, 'NX') then return {i, redis.call('TTL', KEYS[i])} end
  else
    local created = redis.call('EXISTS', KEYS[i]) == 0
    local value = redis.call('INCRBY', KEYS[i], 1)
    if created then redis.call('EXPIRE', KEYS[i], ttl) end
    if value > limit then return {i, redis.call('TTL', KEYS[i])} end
  end
end
return {0, 0}`

type ScriptedRedis = Redis & {
  kitIncrWithTtl(key: string, by: number, ttlSeconds: number): Promise<number>
  kitAdmitInOrder(...keysThenArgs: Array<string | number>): Promise<[number, number]>
}

/** The URL without credentials, safe for logs and error messages. */
export function describeRedisUrl (url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`
  } catch {
    return '(unparseable Redis URL)'
  }
}

/**
 * Connects to Redis and resolves once it is ready to serve commands. Rejects
 * within `connectTimeoutMs` when Redis is unreachable, so callers can fall back.
 */
export async function openRedisCache (options: RedisCacheOptions): Promise<RedisCache> {
  const where = describeRedisUrl(options.url)
  const prefix = options.prefix ?? ''
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    // While Redis is down, queued commands fail after the next failed
    // reconnection (within about two seconds) instead of waiting for it to return.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 1000),
    // Commands issued in the same tick (by one request or by many concurrent ones) leave in one
    // socket write: under load a write, not Redis, is what a command costs the event loop.
    enableAutoPipelining: true
  }) as ScriptedRedis
  client.defineCommand('kitIncrWithTtl', { numberOfKeys: 1, lua: INCR_WITH_TTL })
  client.defineCommand('kitAdmitInOrder', { lua: ADMIT_IN_ORDER })

  let lastError: Error | undefined
  let connected = false
  let lost = false
  // Without a listener an 'error' event would crash the process; failures
  // already reach callers as rejected commands.
  client.on('error', (err: Error) => { lastError = err })
  client.on('reconnecting', () => {
    if (!connected || lost) return
    lost = true
    options.log?.warn({ err: lastError, redis: where }, 'redis connection lost, reconnecting')
  })
  client.on('ready', () => {
    if (lost) options.log?.info({ redis: where }, 'redis connection restored')
    lost = false
  })

  if (options.background) {
    connected = true
    client.connect().catch(() => { /* retryStrategy keeps trying; 'error' keeps the cause */ })
    return createRedisCache(client, prefix)
  }
  await connect(client, connectTimeoutMs).catch((err: unknown) => {
    client.disconnect()
    const cause = lastError ?? err
    throw new Error(`Redis is unreachable at ${where}: ${(cause as Error).message}`, { cause })
  })
  connected = true

  return createRedisCache(client, prefix)
}

async function connect (client: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection after ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.race([client.connect(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

function createRedisCache (client: ScriptedRedis, prefix: string): RedisCache {
  const k = (key: string): string => prefix + key
  return {
    kind: 'redis',
    client,
    keyPrefix: prefix,
    isConnected () {
      return client.status === 'ready'
    },
    async get (key) {
      return (await client.get(k(key))) ?? undefined
    },
    async set (key, value, ttlSeconds) {
      if (ttlSeconds === undefined) await client.set(k(key), value)
      else await client.set(k(key), value, 'EX', ttlSeconds)
    },
    async setIfAbsent (key, value, ttlSeconds) {
      return (await client.set(k(key), value, 'EX', ttlSeconds, 'NX')) === 'OK'
    },
    async delete (key) {
      return (await client.del(k(key))) > 0
    },
    async getAndDelete (key) {
      return (await client.getdel(k(key))) ?? undefined
    },
    async incr (key, ttlSeconds, by = 1) {
      return Number(await client.kitIncrWithTtl(k(key), by, ttlSeconds))
    },
    async admitInOrder (steps) {
      if (steps.length === 0) return undefined
      const args = steps.flatMap(step => [step.kind, step.ttlSeconds, step.limit ?? Number.MAX_SAFE_INTEGER])
      const [index, ttl] = await client.kitAdmitInOrder(steps.length, ...steps.map(step => k(step.key)), ...args)
      if (index === 0) return undefined
      return { index: index - 1, ttlSeconds: ttl === -2 ? undefined : ttl }
    },
    async ttl (key) {
      const seconds = await client.ttl(k(key))
      return seconds === -2 ? undefined : seconds
    },
    async ping () {
      await client.ping()
    },
    async close () {
      if (client.status === 'end') return
      // quit() waits for pending replies; when the server is gone there is
      // nothing to wait for, and disconnect() also stops reconnection.
      await client.quit().catch(() => client.disconnect())
    }
  }
}
