import type { Db, Queryable, Tx } from '@app/kit/db'
import type { AuditEntry, ChainPosition } from './domain/chain.ts'
import type { AuditQuery, AuditStore } from './audit-store.ts'

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
}

const COLUMNS = 'seq, event_id, type, source, subject, time, data, prev_hash, hash, received_at'

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
    receivedAt: iso(row.received_at)
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

const values = (e: AuditEntry) => [e.seq, e.id, e.type, e.source, e.subject, e.time, JSON.stringify(e.data), e.prevHash, e.hash, e.receivedAt]
const PER_ROW = 10

async function insertMany (entries: AuditEntry[], tx: Tx): Promise<void> {
  const rows = entries.map((_, i) => {
    const p = (j: number) => `$${i * PER_ROW + j}`
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}::jsonb, ${p(8)}, ${p(9)}, ${p(10)})`
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

    async findByEventIds (eventIds: string[], tx: Tx) {
      const { rows } = await tx.query<Row>(`select ${COLUMNS} from audit_events where event_id = any($1::text[])`, [eventIds])
      return rows.map(toEntry)
    },

    async head (tx: Tx) {
      const { rows } = await tx.query<{ seq: string, hash: string }>('select seq, hash from audit_events order by seq desc limit 1')
      return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : lastAnchor(tx)
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

    anchor: () => lastAnchor(db),

    async entriesAfter (afterSeq: number, limit: number) {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from audit_events where seq > $1 order by seq limit $2`, [afterSeq, limit])
      return rows.map(toEntry)
    }
  } satisfies AuditStore
}
