import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { migrate, KIT_MIGRATIONS } from '@app/kit/db'
import type { Db } from '@app/kit/db'
import { openTestDb } from '@app/kit/testing'
import type { TestDb } from '@app/kit/testing'
import { createDeliveryStore } from '../src/deliveries/delivery-store.ts'
import type { DeliveryStore } from '../src/deliveries/delivery-store.ts'
import { notificationService } from '../src/service.ts'

const ROWS = 5000

interface PlanNode { 'Node Type': string, 'Index Name'?: string, Plans?: PlanNode[] }
const indexesOf = (node: PlanNode): string[] => [...(node['Index Name'] ? [node['Index Name']] : []), ...(node.Plans ?? []).flatMap(indexesOf)]
const nodeTypesOf = (node: PlanNode): string[] => [node['Node Type'], ...(node.Plans ?? []).flatMap(nodeTypesOf)]

describe('the deliveries status index (migration 0007) and the dead letters read through it (0008)', () => {
  let t: TestDb
  let applied: string[]
  before(async () => {
    t = await openTestDb('notification_status_idx')
    applied = await migrate(t.db, [KIT_MIGRATIONS, { scope: 'notification', dir: notificationService.migrationsDir! }])
    // One in ten sent, a backlog of the rest: a status no partial index covers, reached without walking the others.
    await t.db.query(`insert into deliveries (id, idempotency_key, channel, recipient, template, max_attempts, status)
      select gen_random_uuid(), 'key-' || g, 'email', 'user' || g || '@example.com', 'welcome', 3,
        (array['sent', 'failed', 'failed', 'failed', 'queued', 'queued', 'queued', 'dead', 'dead', 'dead'])[1 + g % 10]
      from generate_series(1, $1::int) g`, [ROWS])
    await t.db.exec('analyze deliveries')
  })
  after(() => t.cleanup())

  /** Runs a store call, then explains the last statement it ran, with the same parameters. */
  async function planOfLast<T> (call: (store: DeliveryStore) => Promise<T>): Promise<{ result: T, plan: PlanNode }> {
    const statements: Array<{ sql: string, params: unknown[] | undefined }> = []
    const recording: Db = { ...t.db, query: (sql, params) => { statements.push({ sql, params }); return t.db.query(sql, params) } }
    const result = await call(createDeliveryStore(recording, 3))
    const last = statements.at(-1)!
    const { rows } = await t.db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`explain (format json) ${last.sql}`, last.params)
    return { result, plan: rows[0]!['QUERY PLAN'][0]!.Plan }
  }

  const assertNewestFirst = (ids: string[]) => assert.deepEqual(ids, [...ids].sort().reverse(), 'newest (highest id) first')

  it('applies to a fresh schema, indexing (status, id desc)', async () => {
    assert.ok(applied.includes('notification/0007_deliveries_status_idx.sql'), applied.join(', '))
    const { rows } = await t.db.query<{ indexdef: string }>('select indexdef from pg_indexes where schemaname = $1 and indexname = $2', [t.db.schema, 'deliveries_status_idx'])
    assert.match(rows[0]?.indexdef ?? '', /\(status, id DESC\)$/)
  })

  it('lists the deliveries of a status newest first by reading that index, among many of other statuses', async () => {
    const { result: page, plan } = await planOfLast(store => store.list({ status: 'sent' }, 20))
    assert.equal(page.items.length, 20)
    assert.ok(page.items.every(d => d.status === 'sent'))
    assertNewestFirst(page.items.map(d => d.id))
    assert.deepEqual(indexesOf(plan), ['deliveries_status_idx'], JSON.stringify(plan))
  })

  it('drops the partial dead-letter index of 0002, which the status index makes redundant', async () => {
    assert.ok(applied.includes('notification/0008_drop_deliveries_dead_idx.sql'), applied.join(', '))
    const { rows } = await t.db.query<{ indexname: string }>('select indexname from pg_indexes where schemaname = $1 and tablename = $2', [t.db.schema, 'deliveries'])
    const names = rows.map(r => r.indexname)
    assert.ok(names.includes('deliveries_status_idx'), names.join(', '))
    assert.ok(!names.includes('deliveries_dead_idx'), names.join(', '))
  })

  it('lists the dead letters, first page and the next, newest first by reading the status index, never sorting or scanning the table', async () => {
    const first = await planOfLast(store => store.listDead(20))
    assert.equal(first.result.items.length, 20)
    assert.ok(first.result.nextCursor)
    const next = await planOfLast(store => store.listDead(20, first.result.nextCursor ?? undefined))
    assert.equal(next.result.items.length, 20)
    const items = [...first.result.items, ...next.result.items]
    assert.ok(items.every(d => d.status === 'dead'))
    assertNewestFirst(items.map(d => d.id))
    for (const { plan } of [first, next]) {
      assert.deepEqual(indexesOf(plan), ['deliveries_status_idx'], JSON.stringify(plan))
      assert.ok(!nodeTypesOf(plan).some(type => type === 'Seq Scan' || type === 'Sort'), JSON.stringify(plan))
    }
  })

  it('queues a dead letter again through an index', async () => {
    const [dead] = (await createDeliveryStore(t.db, 3).listDead(1)).items
    const { result: requeued, plan } = await planOfLast(store => store.requeueDead(dead!.id))
    assert.equal(requeued?.status, 'queued')
    assert.equal(indexesOf(plan).length, 1, JSON.stringify(plan))
    assert.ok(!nodeTypesOf(plan).includes('Seq Scan'), JSON.stringify(plan))
  })
})
