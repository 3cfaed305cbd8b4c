import { Pool } from 'undici'

// Services close a keep-alive connection after 5 s idle. Dropping ours well
// before that keeps the gateway from sending a request on a connection the
// service is closing at that moment, even when a busy event loop runs this
// process's timers late (such a POST could not safely be sent again).
const IDLE_CONNECTION_MS = 2000

export interface UpstreamDispatchers {
  /** The keep-alive connection pool to one instance (its base URL), opened on first use. */
  of(url: string): Pool
  /** Closes the pools of instances no longer listed (discovery dropped them); their requests in flight finish. */
  retain(urls: readonly string[]): void
  close(): Promise<void>
}

/**
 * One undici connection pool per upstream instance, at most `connections`
 * (GATEWAY_UPSTREAM_CONNECTIONS) open to each; further requests queue for one.
 */
export function createUpstreamDispatchers (timeoutMs: number, connections: number): UpstreamDispatchers {
  const pools = new Map<string, Pool>()
  return {
    of (url) {
      let pool = pools.get(url)
      if (!pool) {
        pool = new Pool(url, {
          connections,
          pipelining: 1,
          // Each request's own deadline (upstream-exchange.ts) bounds the wait for a connection and for the
          // answer's head, and is answered first; these end a hung connect or head for the connection's sake.
          connect: { timeout: timeoutMs },
          headersTimeout: timeoutMs,
          // Each pause in an answer's body: the deadline ends at its head.
          bodyTimeout: timeoutMs,
          keepAliveTimeout: IDLE_CONNECTION_MS,
          keepAliveMaxTimeout: IDLE_CONNECTION_MS
        })
        pools.set(url, pool)
      }
      return pool
    },
    retain (urls) {
      for (const [url, pool] of pools) {
        if (urls.includes(url)) continue
        pools.delete(url)
        pool.close().catch(() => {})
      }
    },
    async close () {
      const all = [...pools.values()]
      pools.clear()
      await Promise.all(all.map(pool => pool.close().catch(() => {})))
    }
  }
}
