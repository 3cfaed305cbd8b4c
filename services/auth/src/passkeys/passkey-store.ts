import type { Db, Queryable } from '@app/kit/db'

export interface StoredPasskey {
  id: string
  userId: string
  credentialId: string
  /** COSE public key, base64url. */
  publicKey: string
  counter: number
  transports: string[]
  deviceType: string
  backedUp: boolean
  name: string
  createdAt: Date
  lastUsedAt: Date | null
}

interface Row {
  id: string
  user_id: string
  credential_id: string
  public_key: string
  counter: string | number
  transports: string[]
  device_type: string
  backed_up: boolean
  name: string
  created_at: Date
  last_used_at: Date | null
}

const COLUMNS = 'id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at'

const toPasskey = (r: Row): StoredPasskey => ({
  id: r.id,
  userId: r.user_id,
  credentialId: r.credential_id,
  publicKey: r.public_key,
  counter: Number(r.counter),
  transports: r.transports,
  deviceType: r.device_type,
  backedUp: r.backed_up,
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at
})

export function createPasskeyStore (db: Db) {
  return {
    /** False when the credential is already registered (to anyone). */
    async insert (p: Omit<StoredPasskey, 'lastUsedAt'>, q: Queryable): Promise<boolean> {
      const { rowCount } = await q.query(`insert into passkeys (id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, name, created_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (credential_id) do nothing`,
      [p.id, p.userId, p.credentialId, p.publicKey, p.counter, p.transports, p.deviceType, p.backedUp, p.name, p.createdAt])
      return rowCount === 1
    },

    async listByUser (userId: string): Promise<StoredPasskey[]> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from passkeys where user_id = $1 order by created_at, id`, [userId])
      return rows.map(toPasskey)
    },

    async findByCredentialId (credentialId: string): Promise<StoredPasskey | undefined> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from passkeys where credential_id = $1`, [credentialId])
      return rows[0] && toPasskey(rows[0])
    },

    /**
     * Records a use: the counter only moves up. False when the stored counter is already at or past `newCounter`
     * (a replayed or cloned authenticator's response; of two uses racing with one response, one wins). Two genuine
     * sign-ins that read the same counter both pass when the higher one is recorded last; an authenticator without
     * a counter (always 0) is not held to one.
     */
    async recordUse (id: string, newCounter: number, at: Date): Promise<boolean> {
      const { rowCount } = await db.query(`update passkeys set counter = $2, last_used_at = $3
        where id = $1 and (counter < $2 or ($2 = 0 and counter = 0))`, [id, newCounter, at])
      return rowCount === 1
    },

    async rename (userId: string, id: string, name: string): Promise<StoredPasskey | undefined> {
      const { rows } = await db.query<Row>(`update passkeys set name = $3 where user_id = $1 and id = $2 returning ${COLUMNS}`, [userId, id, name])
      return rows[0] && toPasskey(rows[0])
    },

    async remove (userId: string, id: string, q: Queryable): Promise<StoredPasskey | undefined> {
      const { rows } = await q.query<Row>(`delete from passkeys where user_id = $1 and id = $2 returning ${COLUMNS}`, [userId, id])
      return rows[0] && toPasskey(rows[0])
    },

    /** A deleted account's passkeys. */
    async eraseUser (userId: string, q: Queryable): Promise<void> {
      await q.query('delete from passkeys where user_id = $1', [userId])
    }
  }
}

export type PasskeyStore = ReturnType<typeof createPasskeyStore>
