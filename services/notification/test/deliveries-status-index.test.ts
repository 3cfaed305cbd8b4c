import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { migrate, KIT_MIGRATIONS } from '@app/kit/db'
import type { Db } from '@app/kit/db'
import { openTestDb } from '@app/kit/testing'
import type { TestDb } from '@app/kit/testing'
import { createDeliveryStore } from '../src/deliveries/delivery-store.ts'
import { notificationService } from '../src/service.ts'

const ROWS = 5000

interface PlanNode { 'Node Type': string, 'Index Name'?: string, Plans?: PlanNode[] }
const indexesOf = (node: PlanNode): string[] => [...(node['Index Name'] ? [node['Index Name']] : []), ...(node.Plans ?? []).flatMap(indexesOf)]

describe('the deliveries status index (migration 0007)', () => {
  let t: TestDb
  let applied: string[]
  before(async () => {
    t = await openTestDb('notification_status_idx')
    applied = await migrate(t.db, [KIT_MIGRATIONS, { scope: 'notification', dir: notificationService.migrationsDir! }])
  })
  after(() => t.cleanup())

  it('applies to a fresh schema, indexing (status, id desc)', async () => {
    assert.ok(applied.includes('notification/0007_deliveries_status_idx.sql'), applied.join(', '))
    const { rows } = await t.db.query<{ indexdef: string }>('select indexdef from pg_indexes where schemaname = $1 and indexname = $2', [t.db.schema, 'deliveries_status_idx'])
    assert.match(rows[0]?.indexdef ?? '', /\(status, id DESC\)$/)
  })

  it('lists the deliveries of a status newest first by reading that index, among many of other statuses', async () => {
    // One in ten sent, a backlog of the rest: a status no partial index covers, reached without walking the others.
    await t.db.query(`insert into deliveries (id, idempotency_key, channel, recipient, template, max_attempts, status)
      select gen_random_uuid(), 'key-' || g, 'email', 'user' || g || '@example.com', 'welcome', 3,
        (array['sent', 'failed', 'failed', 'failed', 'queued', 'queued', 'queued', 'dead', 'dead', 'dead'])[1 + g % 10]
      from generate_series(1, $1::int) g`, [ROWS])
    await t.db.exec('analyze deliveries')

    // The store's own statement, recorded, then explained with the same parameters.
    const statements: Array<{ sql: string, params: unknown[] | undefined }> = []
    const recording: Db = { ...t.db, query: (sql, params) => { statements.push({ sql, params }); return t.db.query(sql, params) } }
    const page = await createDeliveryStore(recording, 3).list({ status: 'sent' }, 20)
    assert.equal(page.items.length, 20)
    assert.ok(page.items.every(d => d.status === 'sent'))
    const ids = page.items.map(d => d.id)
    assert.deepEqual(ids, [...ids].sort().reverse(), 'newest (highest id) first')

    const listed = statements.at(-1)!
    const { rows } = await t.db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`explain (format json) ${listed.sql}`, listed.params)
    const plan = rows[0]!['QUERY PLAN'][0]!.Plan
    assert.deepEqual(indexesOf(plan), ['deliveries_status_idx'], JSON.stringify(plan))
  })
})
