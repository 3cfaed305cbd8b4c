import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { migrate, KIT_MIGRATIONS } from '@app/kit/db'
import { openTestDb } from '@app/kit/testing'
import type { TestDb } from '@app/kit/testing'
import { createAuditStore } from '../src/audit-store.pg.ts'
import { exportArchive, pruneStatements } from '../src/archive-export.ts'
import { chainBreak, chainHash, CHAIN_START, dataHash } from '../src/domain/chain.ts'
import type { AuditEntry, ChainPosition } from '../src/domain/chain.ts'
import { auditService } from '../src/service.ts'

const DAY = 86_400_000
const START = Date.parse('2030-01-01T00:00:00.000Z')

let t: TestDb
before(async () => {
  t = await openTestDb('audit_archive')
  await migrate(t.db, [KIT_MIGRATIONS, { scope: 'audit', dir: auditService.migrationsDir! }])
})
after(() => t.cleanup())

/** Appends entries one day apart, the n-th at START + n days. */
async function append (n: number): Promise<void> {
  const store = createAuditStore(t.db)
  let head: ChainPosition = CHAIN_START
  for (let seq = 1; seq <= n; seq++) {
    const time = new Date(START + seq * DAY).toISOString()
    const content = { id: randomUUID(), type: 'user.created', source: '/services/user', subject: null, time, dataHash: dataHash({ seq }), prevHash: head.hash }
    const entry: AuditEntry = { ...content, data: { seq }, seq, hash: chainHash(content), receivedAt: time, erasedAt: null }
    await t.db.tx(tx => store.insert(entry, tx))
    head = { seq, hash: entry.hash }
  }
}

it('exports the verified prefix older than the date; after the prune the rest verifies from the anchor', async () => {
  await append(10)
  const lines: string[] = []
  const result = await exportArchive(t.db, new Date(START + 4 * DAY + 1), async (line) => { lines.push(line) }, 3)
  assert.equal(result.count, 4)
  assert.deepEqual(result.after, CHAIN_START)
  const exported = lines.map(line => JSON.parse(line) as AuditEntry)
  assert.deepEqual(exported.map(e => e.seq), [1, 2, 3, 4])
  assert.equal(result.through.hash, exported[3]!.hash)
  // The file verifies on its own.
  let position = CHAIN_START
  for (const entry of exported) {
    assert.equal(chainBreak(position, entry), undefined)
    position = { seq: entry.seq, hash: entry.hash }
  }

  await t.db.exec(pruneStatements(t.db.schema, result.through))
  const store = createAuditStore(t.db)
  const anchor = await store.anchor()
  assert.deepEqual(anchor, result.through)
  position = anchor!
  const rest = await store.entriesAfter(anchor!.seq, 100)
  assert.deepEqual(rest.map(e => e.seq), [5, 6, 7, 8, 9, 10])
  for (const entry of rest) {
    assert.equal(chainBreak(position, entry), undefined)
    position = { seq: entry.seq, hash: entry.hash }
  }

  // A second export continues from the anchor; the append-only trigger is back on.
  const again = await exportArchive(t.db, new Date(START + 6 * DAY + 1), async () => {})
  assert.deepEqual({ after: again.after.seq, through: again.through.seq, count: again.count }, { after: 4, through: 6, count: 2 })
  await assert.rejects(t.db.query('delete from audit_events where seq = 5'), /append-only/)
})
