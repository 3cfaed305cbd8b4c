import type { Cache } from '@app/kit/cache'
import type { OtpRecord } from './otp-store.ts'
import type { OtpStore } from './otp-store.ts'

export const liveCodeKey = (destination: string, purpose: string, flow: string) => `otp:live:${flow}:${purpose}:${destination}`

interface Cached extends Omit<OtpRecord, 'expiresAt' | 'lastSentAt'> {
  expiresAt: string
  lastSentAt: string
}

/**
 * The live code of a destination, purpose and flow: the cache first (same TTL as the
 * code), then PostgreSQL. The cache only speeds reads up: every change is made
 * in the database first, and a cache failure falls back to it.
 */
export function createLiveCodes (cache: Cache, store: OtpStore) {
  async function remember (record: OtpRecord, now: Date): Promise<void> {
    const ttl = Math.ceil((record.expiresAt.getTime() - now.getTime()) / 1000)
    if (ttl <= 0) return
    const value: Cached = { ...record, expiresAt: record.expiresAt.toISOString(), lastSentAt: record.lastSentAt.toISOString() }
    await cache.set(liveCodeKey(record.destination, record.purpose, record.flow), JSON.stringify(value), ttl)
  }

  return {
    async find (destination: string, purpose: string, flow: string, now: Date): Promise<OtpRecord | undefined> {
      const hit = await cache.get(liveCodeKey(destination, purpose, flow))
      if (hit) {
        const cached = JSON.parse(hit) as Cached
        return { ...cached, expiresAt: new Date(cached.expiresAt), lastSentAt: new Date(cached.lastSentAt) }
      }
      const record = await store.findActive(destination, purpose, flow)
      if (record) await remember(record, now)
      return record
    },
    remember,
    async forget (destination: string, purpose: string, flow: string): Promise<void> {
      await cache.delete(liveCodeKey(destination, purpose, flow))
    }
  }
}

export type LiveCodes = ReturnType<typeof createLiveCodes>
