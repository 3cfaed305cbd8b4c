import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chainHash } from '../src/domain/chain.ts'
import { asUser, useAuditService } from './helper.ts'

describe('GET /api/v1/audit/verify', () => {
  // A small page, so the walk crosses several pages.
  const audit = useAuditService({ AUDIT_VERIFY_PAGE_SIZE: '4' })

  it('answers 401 without an identity and 403 for a non-admin', async () => {
    assert.equal((await audit.app.inject({ method: 'GET', url: '/api/v1/audit/verify' })).statusCode, 401)
    const res = await audit.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: asUser })
    assert.equal(res.statusCode, 403)
  })

  it('reports an empty trail as intact', async () => {
    assert.deepEqual(await audit.verify(), { ok: true, checked: 0, head: { seq: 0, hash: '0'.repeat(64) } })
  })

  it('checks every entry across pages and reports the head', async () => {
    const events = []
    for (let i = 0; i < 10; i++) events.push(await audit.publish('user.updated', { i }))
    await audit.waitStored(events)
    const chain = await audit.chain()
    assert.deepEqual(await audit.verify(), { ok: true, checked: 10, head: { seq: 10, hash: chain[9]!.hash } })
    assert.equal(chain[0]!.prevHash, '0'.repeat(64))
  })

  it('names the entry whose data was changed behind the trigger\'s back', async () => {
    const [, , third] = await audit.chain()
    const { rows } = await audit.db().query<{ data: string }>('select data::text as data from audit_events where seq = $1', [third!.seq])
    const original = rows[0]!.data
    await audit.bypassTrigger(tx => tx.query('update audit_events set data = \'{"i": 99}\'::jsonb where seq = $1', [third!.seq]))
    assert.deepEqual(await audit.verify(), {
      ok: false,
      checked: 3,
      head: { seq: 2, hash: (await audit.chain())[1]!.hash },
      firstBroken: { seq: 3, eventId: third!.eventId, reason: 'hash_mismatch' }
    })

    await audit.bypassTrigger(tx => tx.query('update audit_events set data = $2::jsonb where seq = $1', [third!.seq, original]))
    assert.equal((await audit.verify()).ok, true, 'putting the data back restores the chain')
  })

  it('names the entry after one whose hash was recomputed to hide a change', async () => {
    const chain = await audit.chain()
    const fifth = chain[4]!
    const { rows } = await audit.db().query<{ data_hash: string, source: string, time: Date }>('select data_hash, source, time from audit_events where seq = 5')
    const row = rows[0]!
    const forged = chainHash({ id: fifth.eventId, type: 'user.deleted', source: row.source, subject: null, time: new Date(row.time).toISOString(), dataHash: row.data_hash, prevHash: fifth.prevHash })
    await audit.bypassTrigger(async (tx) => { await tx.query('update audit_events set type = $2, hash = $3 where seq = $1', [5, 'user.deleted', forged]) })
    assert.deepEqual((await audit.verify()).firstBroken, { seq: 6, eventId: chain[5]!.eventId, reason: 'prev_hash_mismatch' })

    await audit.bypassTrigger(async (tx) => { await tx.query('update audit_events set type = $2, hash = $3 where seq = $1', [5, 'user.updated', fifth.hash]) })
    assert.equal((await audit.verify()).ok, true)
  })

  it('names the entry after a removed one', async () => {
    const chain = await audit.chain()
    await audit.bypassTrigger(async (tx) => { await tx.query('delete from audit_events where seq = 8') })
    const result = await audit.verify()
    assert.deepEqual(result.firstBroken, { seq: 9, eventId: chain[8]!.eventId, reason: 'seq_gap' })
    assert.equal(result.checked, 8)
  })
})
