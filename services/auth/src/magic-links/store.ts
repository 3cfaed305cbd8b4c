import type { Db, Queryable } from '@app/kit/db'

export interface MagicLink {
  id: string
  email: string
  userId: string | null
  nonceHash: string
  redirectTo: string | null
  requestedAgent: string
  requestedNetwork: string
  createdAt: Date
  expiresAt: Date
  usedAt: Date | null
}

export type NewMagicLink = Omit<MagicLink, 'usedAt'> & { tokenHash: string }

interface Row {
  id: string
  email: string
  user_id: string | null
  nonce_hash: string
  redirect_to: string | null
  requested_agent: string
  requested_network: string
  created_at: Date
  expires_at: Date
  used_at: Date | null
}

const COLUMNS = 'id, email, user_id, nonce_hash, redirect_to, requested_agent, requested_network, created_at, expires_at, used_at'

const toLink = (row: Row): MagicLink => ({
  id: row.id,
  email: row.email,
  userId: row.user_id,
  nonceHash: row.nonce_hash,
  redirectTo: row.redirect_to,
  requestedAgent: row.requested_agent,
  requestedNetwork: row.requested_network,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at
})

/** Magic links by the sha256 of their token (and of their exchange code); the conditional updates make each single use. */
export function createMagicLinkStore (db: Db) {
  const one = async (q: Queryable, sql: string, params: unknown[]) => {
    const { rows } = await q.query<Row>(sql, params)
    return rows[0] ? toLink(rows[0]) : undefined
  }
  return {
    async insert (link: NewMagicLink, q: Queryable = db): Promise<void> {
      await q.query(`insert into magic_links (id, token_hash, email, user_id, nonce_hash, redirect_to, requested_agent, requested_network, created_at, expires_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [link.id, link.tokenHash, link.email, link.userId, link.nonceHash, link.redirectTo,
        link.requestedAgent, link.requestedNetwork, link.createdAt, link.expiresAt])
    },
    findByToken: (tokenHash: string) => one(db, `select ${COLUMNS} from magic_links where token_hash = $1`, [tokenHash]),
    /** Spends the link: only one caller gets it back, and only while it is unused and unexpired. */
    claim: (id: string, at: Date) => one(db, `update magic_links set used_at = $2
      where id = $1 and used_at is null and expires_at > $2 returning ${COLUMNS}`, [id, at]),
    /** After a confirmation on the hosted page: the one-time code the app exchanges for the sign-in. */
    async setCode (id: string, codeHash: string, expiresAt: Date): Promise<void> {
      await db.query('update magic_links set code_hash = $2, code_expires_at = $3 where id = $1', [id, codeHash, expiresAt])
    },
    /** A deleted account's links, and links that would have created an account for its address. */
    async eraseUser (userId: string, email: string | null, q: Queryable = db): Promise<void> {
      await q.query('delete from magic_links where user_id = $1 or lower(email) = lower($2)', [userId, email])
    },
    /** Spends an exchange code: the link it belongs to, once, while the code is fresh; else undefined. */
    claimCode: (codeHash: string, at: Date) => one(db, `update magic_links set code_used_at = $2
      where code_hash = $1 and code_used_at is null and code_expires_at > $2 returning ${COLUMNS}`, [codeHash, at])
  }
}

export type MagicLinkStore = ReturnType<typeof createMagicLinkStore>
