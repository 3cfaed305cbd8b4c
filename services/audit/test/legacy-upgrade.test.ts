import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, KIT_MIGRATIONS } from '@app/kit/db'
import { createLogger } from '@app/kit/log'
import { openTestDb } from '@app/kit/testing'
import { createAuditService } from '../src/audit-service.ts'
import { createAuditStore } from '../src/audit-store.pg.ts'
import { upgradeLegacyChain } from '../src/chain-upgrade.ts'
import { CHAIN_START, legacyChainHash } from '../src/domain/chain.ts'
import { auditService } from '../src/service.ts'

const log = createLogger('silent')
const dirs: string[] = []
after(async () => { for (const dir of dirs) await rm(dir, { recursive: true, force: true }) })

/** A database as the audit service left it before data hashes: only its first migration applied. */
async function legacyDb (name: string) {
  const t = await openTestDb(name)
  const dir = await mkdtemp(join(tmpdir(), 'audit-legacy-'))
  dirs.push(dir)
  await cp(join(auditService.migrationsDir!, '0001_audit_events.sql'), join(dir, '0001_audit_events.sql'))
  await migrate(t.db, [KIT_MIGRATIONS, { scope: 'audit', dir }])
  return t
}

/** Appends legacy entries (hashed over their data) the way the earlier service did. */
async function appendLegacy (db: Awaited<ReturnType<typeof legacyDb>>['db'], datas: unknown[]): Promise<string[]> {
  let prevHash = CHAIN_START.hash
  const hashes: string[] = []
  for (const [i, data] of datas.entries()) {
    const content = { id: randomUUID(), type: 'user.updated', source: '/services/user', subject: (data as { userId?: string }).userId ?? null, time: new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString(), data, prevHash }
    const hash = legacyChainHash(content)
    await db.query(`insert into audit_events (seq, event_id, type, source, subject, time, data, prev_hash, hash, received_at)
      values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $6)`, [i + 1, content.id, content.type, content.source, content.subject, content.time, JSON.stringify(data), prevHash, hash])
    hashes.push(hash)
    prevHash = hash
  }
  return hashes
}

const upgraded = async (db: Awaited<ReturnType<typeof legacyDb>>['db']) => {
  await migrate(db, [KIT_MIGRATIONS, { scope: 'audit', dir: auditService.migrationsDir! }])
  const store = createAuditStore(db)
  return { store, audit: createAuditService({ db, store, now: () => new Date(), verifyPageSize: 2 }) }
}

describe('entries stored before data hashes', () => {
  it('verify as they are, are re-hashed once at start, keep their old hash, and can then be erased', async (t) => {
    const { db, cleanup } = await legacyDb('audit_legacy')
    t.after(cleanup)
    const userId = randomUUID()
    const oldHashes = await appendLegacy(db, [{ i: 0 }, { userId, email: 'old@example.com' }, { i: 2 }, { userId, name: 'Old Name' }, { i: 4 }])
    const { store, audit } = await upgraded(db)
    assert.deepEqual(await audit.verify(), { ok: true, checked: 5, head: { seq: 5, hash: oldHashes[4]! } }, 'a legacy chain still verifies after the migration')

    assert.deepEqual(await upgradeLegacyChain(db, store, log, 2), { upgraded: 5 })
    assert.deepEqual(await upgradeLegacyChain(db, store, log, 2), { upgraded: 0 }, 'once')
    const { rows } = await db.query<{ legacy_hash: string, data_hash: string | null, hash: string }>('select legacy_hash, data_hash, hash from audit_events order by seq')
    assert.deepEqual(rows.map(r => r.legacy_hash), oldHashes)
    assert.ok(rows.every(r => /^[0-9a-f]{64}$/.test(r.data_hash ?? '')))
    assert.equal((await audit.verify()).ok, true)

    await audit.recordMany([{ id: randomUUID(), type: 'user.deleted', source: '/services/user', subject: userId, time: new Date().toISOString(), data: { userId, email: 'old@example.com', phone: null, emailVerified: true, phoneVerified: false, deletedBy: 'self' } }])
    const { rows: stored } = await db.query<{ raw: string }>('select string_agg(data::text, \' \') as raw from audit_events')
    assert.doesNotMatch(stored[0]!.raw, /old@example\.com|Old Name/)
    const result = await audit.verify()
    assert.deepEqual({ ok: result.ok, checked: result.checked }, { ok: true, checked: 7 })
  })

  it('are left as they are when their chain does not verify, and verify keeps naming the break', async (t) => {
    const { db, cleanup } = await legacyDb('audit_legacy_broken')
    t.after(cleanup)
    await appendLegacy(db, [{ i: 0 }, { i: 1 }, { i: 2 }])
    // Tampered with by the table owner, behind the trigger's back.
    await db.tx(async (tx) => {
      await tx.query('alter table audit_events disable trigger user')
      await tx.query('update audit_events set data = \'{"i": 99}\'::jsonb where seq = 2')
      await tx.query('alter table audit_events enable trigger user')
    })
    const { store, audit } = await upgraded(db)
    const before = await audit.verify()
    assert.equal(before.firstBroken?.seq, 2)

    const result = await upgradeLegacyChain(db, store, log)
    assert.deepEqual(result, { upgraded: 0, skipped: 'chain_broken', firstBroken: { seq: 2, reason: 'hash_mismatch' } })
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from audit_events where data_hash is null')
    assert.equal(rows[0]!.n, 3)
    assert.deepEqual(await audit.verify(), before)
  })
})
