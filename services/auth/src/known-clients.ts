import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { Db, Queryable } from '@app/kit/db'
import type { LoginClientKeys } from './login-client-keys.ts'

export type ClientKind = 'device' | 'network'

export interface ClientSeen {
  deviceId?: string | undefined
  network: string
}

/** For each kind that matched: the accounts it logged in to under this identifier. */
export type KnownMatch = Partial<Record<ClientKind, Set<string>>>

export interface KnownClientsOptions {
  db: Db
  keys: LoginClientKeys
  now: () => Date
  deviceTtlSeconds: number
  networkTtlSeconds: number
}

interface Row { kind: ClientKind, client_hash: string, kid: string, user_id: string }

// Someone logging in from more places than this within the TTL: the oldest stop counting as known.
const MAX_ROWS = 200

export const identifierHash = (identifier: string) => createHash('sha256').update(identifier).digest('hex')

const clientHash = (key: Buffer, kind: ClientKind, value: string) => createHmac('sha256', key).update(`${kind}\n${value}`).digest('base64url')

function sameHash (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The devices and IP networks each login identifier was used from successfully. */
export function createKnownClients ({ db, keys, now, deviceTtlSeconds, networkTtlSeconds }: KnownClientsOptions) {
  const values = (seen: ClientSeen): Array<[ClientKind, string]> =>
    seen.deviceId ? [['device', seen.deviceId], ['network', seen.network]] : [['network', seen.network]]

  return {
    /** Which of the client's device and network logged in with this identifier before (within their TTL). */
    async match (identifier: string, seen: ClientSeen): Promise<KnownMatch> {
      const { rows } = await db.query<Row>(`select kind, client_hash, kid, user_id from login_known_clients
        where identifier_hash = $1 and expires_at > $2 order by last_seen_at desc limit ${MAX_ROWS}`, [identifierHash(identifier), now()])
      const found: KnownMatch = {}
      const hashes = new Map<string, string>()
      for (const row of rows) {
        const value = row.kind === 'device' ? seen.deviceId : seen.network
        const key = value === undefined ? undefined : keys.find(row.kid)
        if (value === undefined || !key) continue
        const cacheKey = `${row.kid}\n${row.kind}`
        const hash = hashes.get(cacheKey) ?? clientHash(key, row.kind, value)
        hashes.set(cacheKey, hash)
        if (sameHash(hash, row.client_hash)) (found[row.kind] ??= new Set()).add(row.user_id)
      }
      return found
    },

    /**
     * After a successful login: the device and network are known to the identifier from now on (the TTL
     * starts again). Takes the identifier's hash (`identifierHash`), so it can be kept until a second step.
     */
    async remember (idHash: string, userId: string, seen: ClientSeen): Promise<void> {
      const at = now()
      const { kid, key } = keys.current()
      const params: unknown[] = [idHash, kid, userId, at]
      const tuples = values(seen).map(([kind, value]) => {
        const ttl = kind === 'device' ? deviceTtlSeconds : networkTtlSeconds
        params.push(kind, clientHash(key, kind, value), new Date(at.getTime() + ttl * 1000))
        const n = params.length
        return `($1, $${n - 2}, $${n - 1}, $2, $3, $4, $${n})`
      })
      await db.query(`insert into login_known_clients (identifier_hash, kind, client_hash, kid, user_id, last_seen_at, expires_at)
        values ${tuples.join(', ')}
        on conflict (identifier_hash, kind, client_hash) do update set user_id = excluded.user_id, last_seen_at = excluded.last_seen_at, expires_at = excluded.expires_at`, params)
    },

    /** Forgets where a user logged in from (the account was deleted). */
    async forgetUser (userId: string, q: Queryable = db): Promise<void> {
      await q.query('delete from login_known_clients where user_id = $1', [userId])
    }
  }
}

export type KnownClients = ReturnType<typeof createKnownClients>
