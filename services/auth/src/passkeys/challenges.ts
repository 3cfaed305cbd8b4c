import { createHash, randomBytes } from 'node:crypto'
import type { Cache } from '@app/kit/cache'

export type CeremonyPurpose = 'register' | 'login' | 'second-step'

/** What a challenge was issued for: checked when the browser's answer comes back. */
export interface IssuedChallenge {
  purpose: CeremonyPurpose
  /** register and second-step: the user it was issued to. */
  userId?: string
  /** second-step: the login challenge it answers. */
  mfaChallengeId?: string
}

interface Stored extends IssuedChallenge { expiresAt: number }

export const CHALLENGE_TTL_SECONDS = 300

/**
 * WebAuthn challenges: 32 random bytes each, kept in the shared cache under
 * their hash and taken on first use, so an answer (or a replay of it) is
 * accepted at most once. Expiry is checked against the injected clock.
 */
export function createChallenges (cache: Cache, now: () => Date, ttlSeconds = CHALLENGE_TTL_SECONDS) {
  const keyOf = (challenge: string) => `auth:webauthn-challenge:${createHash('sha256').update(challenge).digest('hex')}`
  return {
    ttlSeconds,
    /** A new random challenge (base64url of 32 bytes); `challenge` given: that one (replaying recorded responses in tests). */
    async issue (issued: IssuedChallenge, challenge = randomBytes(32).toString('base64url')): Promise<string> {
      const stored: Stored = { ...issued, expiresAt: now().getTime() + ttlSeconds * 1000 }
      // The cache copy lives a little longer than the challenge: the clock decides.
      await cache.set(keyOf(challenge), JSON.stringify(stored), ttlSeconds + 60)
      return challenge
    },
    /** The challenge's purpose, once; undefined when unknown, expired, already taken or issued for another purpose. */
    async take (challenge: string, purpose: CeremonyPurpose): Promise<IssuedChallenge | undefined> {
      const value = await cache.getAndDelete(keyOf(challenge))
      if (value === undefined) return undefined
      const stored = JSON.parse(value) as Stored
      if (stored.purpose !== purpose || stored.expiresAt <= now().getTime()) return undefined
      const { expiresAt: _expiresAt, ...issued } = stored
      return issued
    }
  }
}

export type Challenges = ReturnType<typeof createChallenges>
