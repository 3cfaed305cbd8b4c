import { createHash } from 'node:crypto'
import type { Cache } from '@app/kit/cache'
import type { ClientSeen } from './known-clients.ts'

/** A password login waiting for its second step: what to record when that step succeeds. */
export interface PendingLogin extends ClientSeen {
  identifierHash: string
  userId: string
  newDevice: boolean
}

// Longer than an MFA challenge lives (5 minutes).
const TTL_SECONDS = 900

/**
 * The client of a password login that asked for a second step, kept by
 * challenge id in the shared cache: only a finished login makes it known.
 */
export function createSecondSteps (cache: Cache) {
  const keyOf = (challengeId: string) => `auth:login-second-step:${createHash('sha256').update(challengeId).digest('hex')}`
  return {
    async hold (challengeId: string, pending: PendingLogin): Promise<void> {
      await cache.set(keyOf(challengeId), JSON.stringify(pending), TTL_SECONDS)
    },
    /** The pending login of the challenge, once; undefined when unknown, expired or already taken. */
    async take (challengeId: string): Promise<PendingLogin | undefined> {
      const value = await cache.getAndDelete(keyOf(challengeId))
      return value === undefined ? undefined : JSON.parse(value) as PendingLogin
    }
  }
}

export type SecondSteps = ReturnType<typeof createSecondSteps>
