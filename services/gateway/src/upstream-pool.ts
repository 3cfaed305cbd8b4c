export interface UpstreamPool {
  service: string
  /** Every configured instance (base URLs), in configuration order. */
  urls: readonly string[]
  /**
   * The next instance, round-robin over those not marked down; over all of
   * them when every one is down (trying beats failing without trying).
   * `avoid` (the instance that just failed) is skipped when there is another.
   */
  pick(avoid?: string): string
  /** Takes an instance out of the rotation for the cooldown; true when it was up until now. */
  markDown(url: string): boolean
  /** The instances not marked down right now, in configuration order. */
  healthy(): string[]
}

export interface UpstreamPoolOptions {
  /** How long an instance gets no traffic after a connection failure, in milliseconds. */
  cooldownMs: number
  now?: () => number
}

/**
 * Passive health: nothing probes the instances; a connection failure seen by
 * the proxy marks one down, and after the cooldown it simply gets traffic again.
 */
export function createUpstreamPool (service: string, urls: string[], options: UpstreamPoolOptions): UpstreamPool {
  if (urls.length === 0) throw new Error(`no upstream URL for the ${service} service`)
  const now = options.now ?? Date.now
  const downUntil = new Map<string, number>()
  const isUp = (url: string, t: number) => (downUntil.get(url) ?? 0) <= t
  let next = 0

  return {
    service,
    urls,
    pick (avoid) {
      const t = now()
      let fallback: string | undefined
      for (let i = 0; i < urls.length; i++) {
        const index = (next + i) % urls.length
        const url = urls[index]!
        if (url === avoid) continue
        if (isUp(url, t)) {
          next = index + 1
          return url
        }
        fallback ??= url
      }
      next = (next + 1) % urls.length
      return fallback ?? avoid ?? urls[0]!
    },
    markDown (url) {
      const t = now()
      const wasUp = isUp(url, t)
      downUntil.set(url, t + options.cooldownMs)
      return wasUp
    },
    healthy () {
      const t = now()
      return urls.filter(url => isUp(url, t))
    }
  }
}

/** The first instance not marked down (or the first of all): for calls that need one stable choice, such as the docs. */
export function firstHealthy (pool: UpstreamPool): string {
  return pool.healthy()[0] ?? pool.urls[0]!
}
