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
  /** 'passkey' when a passkey was the login's first factor (null: a password, a magic link, an OIDC provider). */
  firstFactor: 'passkey' | null
  /** That passkey (its id in the passkeys table). */
  firstPasskeyId: string | null
}

interface FactorRow { user_id: string, channel: MfaChannel, destination: string | null, totp_secret: string | null, enabled: boolean, last_totp_step: string | null }
interface ChallengeRow { id: string, user_id: string, channel: MfaChannel, destination: string | null, expires_at: Date, attempts: number, used_at: Date | null, first_factor: 'passkey' | null, first_passkey_id: string | null }

const toFactor = (r: FactorRow): Factor => ({
  userId: r.user_id, channel: r.channel, destination: r.destination, totpSecret: r.totp_secret, enabled: r.enabled, lastTotpStep: r.last_totp_step === null ? null : Number(r.last_totp_step)
})
const toChallenge = (r: ChallengeRow): Challenge => ({
  id: r.id, userId: r.user_id, channel: r.channel, destination: r.destination, expiresAt: r.expires_at, attempts: r.attempts, usedAt: r.used_at, firstFactor: r.first_factor, firstPasskeyId: r.first_passkey_id
})

export function createMfaStore (db: Db) {
  return {
    async factor (userId: string, q: Queryable = db): Promise<Factor | undefined> {
      const { rows } = await q.query<FactorRow>('select user_id, channel, destination, totp_secret, enabled, last_totp_step from mfa_factors where user_id = $1', [userId])
      return rows[0] && toFactor(rows[0])
    },

    /** The factor, read for a login, with whether the user has a passkey (which can answer instead of a code): one query. */
    async loginFactor (userId: string): Promise<(Factor & { hasPasskey: boolean }) | undefined> {
      const { rows } = await db.query<FactorRow & { has_passkey: boolean }>(`select user_id, channel, destination, totp_secret, enabled, last_totp_step,
        exists (select 1 from passkeys where passkeys.user_id = mfa_factors.user_id) as has_passkey from mfa_factors where user_id = $1`, [userId])
      return rows[0] && { ...toFactor(rows[0]), hasPasskey: rows[0].has_passkey }
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
    /**
     * An account claimed by whoever proved its email: the factor set up at or before `before` (null: whenever), its
     * recovery codes, and the login challenges opened by then. True when the factor removed was on.
     */
    async removeSetUpBefore (userId: string, before: Date | null, q: Queryable): Promise<boolean> {
      const { rows } = await q.query<{ enabled: boolean }>(`delete from mfa_factors
        where user_id = $1 and ($2::timestamptz is null or created_at <= $2) returning enabled`, [userId, before])
      if (rows.length > 0) await q.query('delete from mfa_recovery_codes where user_id = $1', [userId])
      await q.query('delete from mfa_challenges where user_id = $1 and ($2::timestamptz is null or created_at <= $2)', [userId, before])
      return rows[0]?.enabled ?? false
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
      await q.query(`insert into mfa_challenges (id, user_id, channel, destination, created_at, expires_at, first_factor, first_passkey_id)
        values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [challenge.id, challenge.userId, challenge.channel, challenge.destination, at, challenge.expiresAt, challenge.firstFactor, challenge.firstPasskeyId])
    },

    async challenge (id: string): Promise<Challenge | undefined> {
      const { rows } = await db.query<ChallengeRow>(`select id, user_id, channel, destination, expires_at, attempts, used_at, first_factor, first_passkey_id
        from mfa_challenges where id = $1`, [id])
      return rows[0] && toChallenge(rows[0])
    },

    /** Counts a try; false when the challenge is used up (spent, or out of tries). */
    async countAttempt (id: string, maxAttempts: number): Promise<boolean> {
      const { rowCount } = await db.query('update mfa_challenges set attempts = attempts + 1 where id = $1 and used_at is null and attempts < $2', [id, maxAttempts])
      return rowCount === 1
    },

    async spendChallenge (id: string, at: Date): Promise<boolean> {
      const { rowCount } = await db.query('update mfa_challenges set used_at = $2 where id = $1 and used_at is null', [id, at])
      return rowCount === 1
    }
  }
}

export type MfaStore = ReturnType<typeof createMfaStore>
