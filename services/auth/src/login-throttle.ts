import { createHash } from 'node:crypto'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { Cache } from '@app/kit/cache'
import { KitErrors } from '@app/kit/errors'
import { emailLimitKey } from '@app/kit/identifiers'

export interface LoginThrottleOptions {
  cache: Cache
  now: () => Date
  /** Failures of one client for one identifier before each further try waits. */
  freeFailures: number
  /** The wait after the free failures; doubles with each further failure. */
  firstDelaySeconds: number
  maxDelaySeconds: number
  /** How long a client's failures are remembered, from its first one. */
  memorySeconds: number
  /** Passwords checked per identifier and clock hour for clients unknown to the account. */
  unknownPerHour: number
}

/**
 * A client as the throttle counts it: `key` names its counter for the
 * identifier (`device:<id>`, `network:<ip>`); an unknown one also spends the
 * identifier's hourly allowance for strangers.
 */
export interface ThrottleClient {
  key: string
  known: boolean
}

/** An attempt the throttle let through; settle it with `failed`, `succeeded` or `refund`. */
export interface Admission {
  counter: string
  attempt: number
  hourKey: string | undefined
}

const HOUR_MS = 3_600_000
const hash = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * The same person types `Ann@Example.com` and `ann@example.com`, `+1 (415) 555-0123` and `+114155550123`.
 * Emails are compared as the user service compares them (NFKC, case-insensitive); phones as it
 * finds accounts by them, in E.164 after libphonenumber (which drops a national prefix typed after
 * the country code), else with spaces, brackets and dashes stripped when they do not parse.
 */
export function normalizeIdentifier (input: { email?: string | undefined, phone?: string | undefined }): string {
  if (input.email !== undefined) return `email:${emailLimitKey(input.email) ?? input.email.trim().toLowerCase()}`
  const stripped = (input.phone ?? '').replace(/[\s()-]/g, '')
  const parsed = stripped.startsWith('+') ? parsePhoneNumberFromString(stripped) : undefined
  return `phone:${parsed?.number ?? stripped}`
}

/**
 * Failed logins counted per (identifier, client) in the shared cache, so the
 * limits hold across instances; keys are hashes, so cache dumps do not list who
 * tried to log in. After `freeFailures`, each further try of that client waits
 * (1 s, 2 s, 4 s ... up to `maxDelaySeconds`), and only one of its tries is
 * checked at a time. Clients unknown to the account also share an hourly
 * ceiling per identifier, so many addresses together cannot guess fast either.
 * Times come from `now` (tests travel in time); the cache TTLs only clean up.
 */
export function createLoginThrottle (options: LoginThrottleOptions) {
  const { cache, now, freeFailures } = options
  const keys = (counter: string) => ({ count: `auth:login-failures:${counter}`, wait: `auth:login-wait:${counter}` })
  const delayMs = (failures: number) =>
    Math.min(options.maxDelaySeconds, options.firstDelaySeconds * 2 ** Math.min(40, failures - freeFailures)) * 1000

  /** The wait a client's last failure imposed: `<until epoch ms>:<failures counted when it was set>`. */
  async function waitOf (counter: string): Promise<{ until: number, failures: number } | undefined> {
    const value = await cache.get(keys(counter).wait)
    const [until, failures] = (value ?? '').split(':').map(Number)
    return Number.isFinite(until) && Number.isFinite(failures) ? { until: until!, failures: failures! } : undefined
  }

  function refused (retryMs: number, limit: number): never {
    const retryAfter = String(Math.max(1, Math.ceil(retryMs / 1000)))
    throw KitErrors.rate_limited({
      // One wording for every reason and every identifier: a refusal says nothing about the account.
      detail: 'Too many failed logins; try again later',
      headers: { 'retry-after': retryAfter, 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0', 'ratelimit-reset': retryAfter }
    })
  }

  return {
    /**
     * Lets the attempt through on the first client (in the order given) that
     * is not waiting, counting it before the password is checked: parallel
     * guesses cannot slip in while earlier ones are still being verified.
     * Throws 429 `rate_limited` with the soonest retry otherwise, checking nothing.
     */
    async admit (identifier: string, clients: ThrottleClient[]): Promise<Admission> {
      const at = now().getTime()
      let soonest = { ms: Infinity, limit: freeFailures }
      const later = (ms: number, limit: number) => { if (ms < soonest.ms) soonest = { ms, limit } }
      for (const client of clients) {
        const counter = hash(`${identifier}\n${client.key}`)
        const wait = await waitOf(counter)
        if (wait && wait.until > at) {
          later(wait.until - at, freeFailures)
          continue
        }
        let hourKey: string | undefined
        if (!client.known) {
          const hour = Math.floor(at / HOUR_MS)
          hourKey = `auth:login-strangers:${hash(identifier)}:${hour}`
          if (await cache.incr(hourKey, 3660) > options.unknownPerHour) {
            later((hour + 1) * HOUR_MS - at, options.unknownPerHour)
            continue
          }
        }
        const attempt = await cache.incr(keys(counter).count, options.memorySeconds)
        // Past the free ones, a try is checked only after the previous one failed and its wait passed.
        if (attempt <= freeFailures || wait?.failures === attempt - 1) return { counter, attempt, hourKey }
        await cache.incr(keys(counter).count, options.memorySeconds, -1)
        if (hourKey) await cache.incr(hourKey, 3660, -1)
        later(wait ? delayMs(wait.failures) : options.firstDelaySeconds * 1000, freeFailures)
      }
      return refused(soonest.ms, soonest.limit)
    },

    /** A wrong password: from the free failures on, the client's next try waits. */
    async failed (admission: Admission): Promise<void> {
      if (admission.attempt < freeFailures) return
      const until = now().getTime() + delayMs(admission.attempt)
      await cache.set(keys(admission.counter).wait, `${until}:${admission.attempt}`, options.memorySeconds)
    },

    /** Gives back an attempt whose password was not checked (the user service was down). */
    async refund (admission: Admission): Promise<void> {
      await cache.incr(keys(admission.counter).count, options.memorySeconds, -1)
      if (admission.hourKey) await cache.incr(admission.hourKey, 3660, -1)
    },

    /** The right password clears the client's count (not the hourly ceiling: it counts passwords checked). */
    async succeeded (admission: Admission): Promise<void> {
      const { count, wait } = keys(admission.counter)
      await cache.delete(count)
      await cache.delete(wait)
    }
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>
