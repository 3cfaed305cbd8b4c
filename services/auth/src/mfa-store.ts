import type { Db, Queryable } from '@app/kit/db'

export type MfaChannel = 'sms' | 'email' | 'totp'

export interface Factor {
  userId: string
  channel: MfaChannel
  destination: string | null
  totpSecret: string | null
  enabled: boolean
  lastTotpStep: number | null
}

export interface Challenge {
  id: string
  userId: string
  channel: MfaChannel
  destination: string | null
  expiresAt: Date
  attempts: number
  usedAt: Date | null
}

interface FactorRow { user_id: string, channel: MfaChannel, destination: string | null, totp_secret: string | null, enabled: boolean, last_totp_step: string | null }
interface ChallengeRow { id: string, user_id: string, channel: MfaChannel, destination: string | null, expires_at: Date, attempts: number, used_at: Date | null }

const toFactor = (r: FactorRow): Factor => ({
  userId: r.user_id, channel: r.channel, destination: r.destination, totpSecret: r.totp_secret, enabled: r.enabled, lastTotpStep: r.last_totp_step === null ? null : Number(r.last_totp_step)
})
const toChallenge = (r: ChallengeRow): Challenge => ({
  id: r.id, userId: r.user_id, channel: r.channel, destination: r.destination, expiresAt: r.expires_at, attempts: r.attempts, usedAt: r.used_at
})

export function createMfaStore (db: Db) {
  return {
    async factor (userId: string, q: Queryable = db): Promise<Factor | undefined> {
      const { rows } = await q.query<FactorRow>('select user_id, channel, destination, totp_secret, enabled, last_totp_step from mfa_factors where user_id = $1', [userId])
      return rows[0] && toFactor(rows[0])
    },

    /** A new, not yet confirmed factor replaces an unconfirmed one; an enabled factor stays until it is turned off. */
    async savePending (factor: Omit<Factor, 'enabled' | 'lastTotpStep'>, at: Date, q: Queryable = db): Promise<boolean> {
      const { rowCount } = await q.query(`insert into mfa_factors (user_id, channel, destination, totp_secret, created_at) values ($1, $2, $3, $4, $5)
        on conflict (user_id) do update set channel = $2, destination = $3, totp_secret = $4, created_at = $5, last_totp_step = null
        where mfa_factors.enabled = false`, [factor.userId, factor.channel, factor.destination, factor.totpSecret, at])
      return rowCount === 1
    },

    async enable (userId: string, at: Date, q: Queryable): Promise<boolean> {
      const { rowCount } = await q.query('update mfa_factors set enabled = true, enabled_at = $2 where user_id = $1 and enabled = false', [userId, at])
      return rowCount === 1
    },

    async remove (userId: string, q: Queryable): Promise<void> {
      await q.query('delete from mfa_factors where user_id = $1', [userId])
      await q.query('delete from mfa_recovery_codes where user_id = $1', [userId])
    },
    /** A deleted account: its factor, recovery codes and pending login challenges. */
    async eraseUser (userId: string, q: Queryable): Promise<void> {
      await q.query('delete from mfa_factors where user_id = $1', [userId])
      await q.query('delete from mfa_recovery_codes where user_id = $1', [userId])
      await q.query('delete from mfa_challenges where user_id = $1', [userId])
    },

    /** Records an accepted TOTP step; false when this step (or a later one) was already used. */
    async useTotpStep (userId: string, step: number, q: Queryable = db): Promise<boolean> {
      const { rowCount } = await q.query(`update mfa_factors set last_totp_step = $2
        where user_id = $1 and (last_totp_step is null or last_totp_step < $2)`, [userId, step])
      return rowCount === 1
    },

    async replaceRecoveryCodes (userId: string, hashes: string[], q: Queryable): Promise<void> {
      await q.query('delete from mfa_recovery_codes where user_id = $1', [userId])
      for (const hash of hashes) await q.query('insert into mfa_recovery_codes (user_id, hash) values ($1, $2)', [userId, hash])
    },

    async useRecoveryCode (userId: string, hash: string, at: Date, q: Queryable = db): Promise<boolean> {
      const { rowCount } = await q.query('update mfa_recovery_codes set used_at = $3 where user_id = $1 and hash = $2 and used_at is null', [userId, hash, at])
      return rowCount === 1
    },

    async insertChallenge (challenge: Omit<Challenge, 'attempts' | 'usedAt'>, at: Date, q: Queryable): Promise<void> {
      await q.query('insert into mfa_challenges (id, user_id, channel, destination, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)',
        [challenge.id, challenge.userId, challenge.channel, challenge.destination, at, challenge.expiresAt])
    },

    async challenge (id: string): Promise<Challenge | undefined> {
      const { rows } = await db.query<ChallengeRow>('select id, user_id, channel, destination, expires_at, attempts, used_at from mfa_challenges where id = $1', [id])
      return rows[0] && toChallenge(rows[0])
    },

    /** Counts a try; false when the challenge is used up (spent, or out of tries). */
    async countAttempt (id: string, maxAttempts: number): Promise<boolean> {
      const { rowCount } = await db.query('update mfa_challenges set attempts = attempts + 1 where id = $1 and used_at is null and attempts < $2', [id, maxAttempts])
      return rowCount === 1
    },

    /** Whether the user has a passkey, which can answer a challenge instead of a code. */
    async hasPasskey (userId: string): Promise<boolean> {
      const { rows } = await db.query<{ found: boolean }>('select exists (select 1 from passkeys where user_id = $1) as found', [userId])
      return rows[0]?.found === true
    },

    async spendChallenge (id: string, at: Date): Promise<boolean> {
      const { rowCount } = await db.query('update mfa_challenges set used_at = $2 where id = $1 and used_at is null', [id, at])
      return rowCount === 1
    }
  }
}

export type MfaStore = ReturnType<typeof createMfaStore>
