import type { Logger } from 'pino'
import type { Cache } from '@app/kit/cache'
import type { ServiceClient } from '@app/kit/client'
import { isAppError } from '@app/kit/errors'
import type { Channel } from '../providers/provider.ts'

/** What the user service's `GET /internal/users/:id/preferences` answers. */
export interface Contact {
  userId: string
  email: string | null
  phone: string | null
  emailVerified: boolean
  phoneVerified: boolean
  locale: string
  name: string | null
  preferences: {
    /** Master switches: a channel switched off is never used. */
    channels: Record<Channel, boolean>
    /** Per event type, the channels to use for it. */
    events: Record<string, Channel[]>
  }
}

export interface ContactsDeps {
  client: ServiceClient
  cache: Cache
  /** 0 turns the cache off. */
  ttlSeconds: number
  log: Logger
  /** Milliseconds since the epoch (tests fix it). */
  now?: () => number
}

const key = (userId: string) => `notification:contact:${userId}`

/** A user's addresses and preferences from the user service, cached briefly (the cache is dropped when the user changes). */
export function createContacts ({ client, cache, ttlSeconds, log, now = Date.now }: ContactsDeps) {
  const inFlight = new Map<string, { fetchedAt: number, answer: Promise<Contact | undefined> }>()

  async function cached (userId: string, notBefore: number): Promise<Contact | undefined> {
    try {
      const hit = await cache.get(key(userId))
      if (!hit) return undefined
      const entry = JSON.parse(hit) as { fetchedAt: number, contact: Contact }
      // Read before the event happened, the entry may predate a change the event should see.
      return entry.fetchedAt >= notBefore ? entry.contact : undefined
    } catch (err) {
      log.warn({ err }, 'contact cache unreadable; asking the user service')
      return undefined
    }
  }

  /** Asks the user service (and refills the cache); `fetchedAt` is when the question left. */
  async function fetchContact (userId: string, fetchedAt: number): Promise<Contact | undefined> {
    let contact: Contact
    try {
      contact = await client.call<Contact>('GET', `/internal/users/${encodeURIComponent(userId)}/preferences`)
    } catch (err) {
      if (isAppError(err) && (err.status === 404 || err.status === 400)) return undefined
      throw err
    }
    if (ttlSeconds > 0) await cache.set(key(userId), JSON.stringify({ fetchedAt, contact }), ttlSeconds).catch((err: unknown) => log.warn({ err }, 'contact cache not written'))
    return contact
  }

  /**
   * One question per user at a time: a call that needs an answer newer than
   * `notBefore` joins the question in flight when it left after that,
   * else waits for it and joins (or asks) the next. A burst of events about
   * one user (orders) asks once per round trip, not once per event.
   */
  async function fetchSingleFlight (userId: string, notBefore: number): Promise<Contact | undefined> {
    for (let current = inFlight.get(userId); current; current = inFlight.get(userId)) {
      if (current.fetchedAt >= notBefore) return current.answer
      await current.answer.catch(() => {})
    }
    const fetchedAt = now()
    const answer = fetchContact(userId, fetchedAt).finally(() => {
      if (inFlight.get(userId)?.answer === answer) inFlight.delete(userId)
    })
    inFlight.set(userId, { fetchedAt, answer })
    return answer
  }

  /**
   * The contact, or undefined when the user service does not know the user
   * (deleted). Rejects when the user service cannot answer, so the event is
   * retried. `fresh` skips the cache (and refills it); `notBefore` (an
   * event's time) uses only an entry read after it, so a preference changed
   * just before an order is never missed, while a burst of events shares one read.
   */
  async function find (userId: string, options: { fresh?: boolean, notBefore?: Date } = {}): Promise<Contact | undefined> {
    const notBefore = options.notBefore?.getTime() ?? 0
    if (ttlSeconds > 0 && !options.fresh) {
      const hit = await cached(userId, notBefore)
      if (hit) return hit
    }
    // Fresh: only a question that leaves now will do.
    return fetchSingleFlight(userId, options.fresh ? now() : notBefore)
  }

  return {
    find,

    /** The locale to write to a user in, or undefined when it cannot be learnt now (best effort: never rejects). */
    async localeOf (userId: string): Promise<string | undefined> {
      try {
        return (await find(userId))?.locale
      } catch (err) {
        log.debug({ err, userId }, 'user locale unknown; writing in the default locale')
        return undefined
      }
    },

    async forget (userId: string): Promise<void> {
      await cache.delete(key(userId))
    }
  }
}

export type Contacts = ReturnType<typeof createContacts>
