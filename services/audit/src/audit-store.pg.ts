import type { Db, Queryable, Tx } from '@app/kit/db'
import type { AuditEntry, ChainPosition } from './domain/chain.ts'
import type { AuditQuery, AuditStore, ErasureTarget } from './audit-store.ts'

interface Row {
  seq: string
  event_id: string
  type: string
  source: string
  subject: string | null
  time: Date | string
  data: unknown
  prev_hash: string
  hash: string
  received_at: Date | string
  data_hash: string | null
  erased_at: Date | string | null
}

const COLUMNS = 'seq, event_id, type, source, subject, time, data, prev_hash, hash, received_at, data_hash, erased_at'

const iso = (value: Date | string) => new Date(value).toISOString()

function toEntry (row: Row): AuditEntry {
  return {
    seq: Number(row.seq),
    id: row.event_id,
    type: row.type,
    source: row.source,
    subject: row.subject,
    time: iso(row.time),
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
    receivedAt: iso(row.received_at),
    dataHash: row.data_hash,
    erasedAt: row.erased_at === null ? null : iso(row.erased_at)
  }
}

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`

function whereClause (query: AuditQuery): { sql: string, params: unknown[] } {
  const conditions: string[] = []
  const params: unknown[] = []
  const add = (condition: string, value: unknown) => {
    params.push(value)
    conditions.push(condition.replace('?', `$${params.length}`))
  }
  if (query.subject !== undefined) add('subject = ?', query.subject)
  if (query.type && 'exact' in query.type) add('type = ?', query.type.exact)
  if (query.type && 'prefix' in query.type) add('type like ? escape \'\\\'', likePrefix(query.type.prefix))
  if (query.from) add('time >= ?', query.from.toISOString())
  if (query.to) add('time < ?', query.to.toISOString())
  if (query.beforeSeq !== undefined) add('seq < ?', query.beforeSeq)
  return { sql: conditions.length > 0 ? `where ${conditions.join(' and ')}` : '', params }
}

async function lastAnchor (q: Queryable): Promise<ChainPosition | undefined> {
  const { rows } = await q.query<{ seq: string, hash: string }>('select through_seq as seq, last_hash as hash from audit_archive_anchors order by through_seq desc limit 1')
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined
}

const values = (e: AuditEntry) => [e.seq, e.id, e.type, e.source, e.subject, e.time, JSON.stringify(e.data), e.prevHash, e.hash, e.receivedAt, e.dataHash, e.erasedAt]
const PER_ROW = 12

async function insertMany (entries: AuditEntry[], tx: Tx): Promise<void> {
  const rows = entries.map((_, i) => {
    const p = (j: number) => `$${i * PER_ROW + j}`
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}::jsonb, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)})`
  })
  await tx.query(`insert into audit_events (${COLUMNS}) values ${rows.join(', ')}`, entries.flatMap(values))
}

export function createAuditStore (db: Db) {
  // Advisory locks are database-wide; the schema in the key keeps deployments sharing a database apart.
  const lockKey = `audit-chain:${db.schema}`
  return {
    async lockChain (tx: Tx) {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [lockKey])
    },

    async findByEventId (eventId: string, tx?: Tx) {
      const { rows } = await (tx ?? db).query<Row>(`select ${COLUMNS} from audit_events where event_id = $1`, [eventId])
      return rows[0] ? toEntry(rows[0]) : undefined
    },

    async appendState (eventIds: string[], subjects: string[], tx: Tx) {
      const { rows } = await tx.query<{ known: Row[], head: ChainPosition | null, anchor: ChainPosition | null, erased: string[] }>(`select
          (select coalesce(json_agg(e), '[]') from (select ${COLUMNS} from audit_events where event_id = any($1::text[])) e) as known,
          (select json_build_object('seq', seq, 'hash', hash) from audit_events order by seq desc limit 1) as head,
          (select json_build_object('seq', through_seq, 'hash', last_hash) from audit_archive_anchors order by through_seq desc limit 1) as anchor,
          (select coalesce(json_agg(subject), '[]') from audit_erased_subjects where subject = any($2::text[])) as erased`,
      [eventIds, subjects])
      const { known, head, anchor, erased } = rows[0]!
      const position = head ?? anchor
      return {
        known: known.map(toEntry),
        head: position ? { seq: Number(position.seq), hash: position.hash } : undefined,
        erased: new Set(erased)
      }
    },

    insert: (entry: AuditEntry, tx: Tx) => insertMany([entry], tx),
    insertMany,

    async list (query: AuditQuery) {
      const where = whereClause(query)
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from audit_events ${where.sql} order by seq desc limit $${where.params.length + 1}`,
        [...where.params, query.limit]
      )
      return rows.map(toEntry)
    },

    anchor: (q: Queryable = db) => lastAnchor(q),

    async entriesAfter (afterSeq: number, limit: number, q: Queryable = db) {
      const { rows } = await q.query<Row>(`select ${COLUMNS} from audit_events where seq > $1 order by seq limit $2`, [afterSeq, limit])
      return rows.map(toEntry)
    },

    async markErased (subject: string, eventId: string, at: string, tx: Tx) {
      await tx.query('insert into audit_erased_subjects (subject, erased_at, event_id) values ($1, $2, $3) on conflict (subject) do nothing', [subject, at, eventId])
    },

    async eraseUser ({ userId, email, phone, keepEventId, at }: ErasureTarget, tx: Tx) {
      // Addresses are matched as whole JSON strings: an OTP event names its destination without a subject.
      const { rowCount } = await tx.query(`update audit_events set data = '{"erased": true}'::jsonb, erased_at = $2
        where erased_at is null and data_hash is not null and event_id <> $3
          and (subject = $1 or data->>'userId' = $1
            or ($4::text is not null and strpos(data::text, to_json($4::text)::text) > 0)
            or ($5::text is not null and strpos(data::text, to_json($5::text)::text) > 0))`,
      [userId, at, keepEventId, email, phone])
      return rowCount ?? 0
    },

    async legacyRange (q: Queryable = db) {
      const { rows } = await q.query<{ first: string | null, last: string | null, count: string, after: string | null }>(
        `select min(seq) as first, max(seq) as last, count(*) as count,
          (select min(seq) from audit_events where data_hash is not null) as after
        from audit_events where data_hash is null`)
      const row = rows[0]!
      if (row.first === null || row.last === null) return undefined
      return { first: Number(row.first), last: Number(row.last), count: Number(row.count), firstHashed: row.after === null ? undefined : Number(row.after) }
    },

    async rehashLegacy (entry: { seq: number, dataHash: string, prevHash: string, hash: string }, tx: Tx) {
      await tx.query('update audit_events set data_hash = $2, legacy_hash = hash, prev_hash = $3, hash = $4 where seq = $1 and data_hash is null',
        [entry.seq, entry.dataHash, entry.prevHash, entry.hash])
    }
  } satisfies AuditStore
}
