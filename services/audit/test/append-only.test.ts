import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertSingleChain, useAuditService } from './helper.ts'

describe('the append-only trail', () => {
  const audit = useAuditService()

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    const event = await audit.publish('user.updated', { name: 'Ada' })
    await audit.waitStored([event])
    const db = audit.db()
    const refused = /audit_events is append-only: (UPDATE|DELETE|TRUNCATE) refused/
    await assert.rejects(db.query('update audit_events set data = \'{}\'::jsonb where event_id = $1', [event.id]), refused)
    await assert.rejects(db.query('update audit_events set received_at = now()'), refused)
    await assert.rejects(db.query('delete from audit_events where event_id = $1', [event.id]), refused)
    await assert.rejects(db.query('delete from audit_events'), refused)
    await assert.rejects(db.exec('truncate audit_events'), refused)
    await assert.rejects(db.tx(tx => tx.query('update audit_events set type = \'x.y\'')), refused)
    assert.equal(await audit.stored([event.id]), 1)
    assert.equal((await audit.verify()).ok, true)
  })

  it('is refused changes to the archive anchors too', async () => {
    await assert.rejects(audit.db().query('delete from audit_archive_anchors'), /audit_archive_anchors is append-only: DELETE refused/)
  })

  it('verifies from the anchor after the documented archiving, and keeps appending to the chain', async () => {
    const events = []
    for (let i = 0; i < 5; i++) events.push(await audit.publish('user.updated', { i }))
    await audit.waitStored(events)
    const before = await audit.chain()
    const through = before[2]!

    // services/audit/README.md, "Archiving old entries", in one transaction.
    await audit.db().tx(async (tx) => {
      await tx.query('alter table audit_events disable trigger audit_events_append_only')
      await tx.query('insert into audit_archive_anchors (through_seq, last_hash) values ($1, $2)', [through.seq, through.hash])
      await tx.query('delete from audit_events where seq <= $1', [through.seq])
      await tx.query('alter table audit_events enable trigger audit_events_append_only')
    })

    const later = await audit.publish('user.updated', { after: 'archive' })
    await audit.waitStored([later])
    const after = await audit.chain()
    assert.equal(after[0]!.seq, through.seq + 1)
    assert.equal(after[0]!.prevHash, through.hash)
    assertSingleChain(after, through.seq + 1)
    assert.deepEqual(await audit.verify(), { ok: true, checked: after.length, head: { seq: after.at(-1)!.seq, hash: after.at(-1)!.hash } })
  })
})
