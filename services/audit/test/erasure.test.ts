import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { newUserId, tag, useAuditService } from './helper.ts'
import type { AuditEventJson } from './helper.ts'

describe('erasing a deleted user\'s personal data (user.deleted)', () => {
  const audit = useAuditService()

  /** Every entry, oldest first, as an administrator reads them. */
  async function entries (query: Record<string, string> = {}): Promise<AuditEventJson[]> {
    const res = await audit.list({ limit: '200', ...query })
    assert.equal(res.statusCode, 200, res.body)
    return (res.json().items as AuditEventJson[]).reverse()
  }

  async function rawTrail (): Promise<string> {
    const { rows } = await audit.db().query<{ raw: string }>('select coalesce(string_agg(data::text, \'\n\'), \'\') as raw from audit_events')
    return rows[0]!.raw
  }

  it('erases every entry about the user, keeps a tombstone without personal data, and the chain still verifies', async () => {
    const userId = newUserId()
    const other = newUserId()
    const email = `ada.${tag()}@example.com`
    const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`
    const registered = await audit.publish('user.registered', { userId, email, phone, name: 'Ada Lovelace', locale: 'en' }, userId)
    const ordered = await audit.publish('order.created', { orderId: 'o-1', userId, total: 1999 }, userId)
    const otp = await audit.publish('otp.generated', { destination: email, channel: 'email', purpose: 'verification' })
    const othersEvent = await audit.publish('user.registered', { userId: other, email: `grace.${tag()}@example.com`, name: 'Grace Hopper' }, other)
    await audit.waitStored([registered, ordered, otp, othersEvent])
    const before = new Map((await entries()).map(e => [e.id, e]))

    const deleted = await audit.publish('user.deleted', { userId, email, phone, emailVerified: true, phoneVerified: false, deletedBy: 'self', locale: 'en' }, userId)
    const record = await waitFor(async () => (await entries({ type: 'audit.personal_data_erased', userId }))[0])
    const after = new Map((await entries()).map(e => [e.id, e]))

    for (const event of [registered, ordered, otp]) {
      const entry = after.get(event.id)!
      assert.deepEqual(entry.data, { erased: true }, event.type)
      assert.ok(entry.erasedAt, event.type)
      // Everything the hash covers is as it was.
      const { data: _d, erasedAt: _e, ...kept } = entry
      const { data: _bd, erasedAt: _be, ...keptBefore } = before.get(event.id)!
      assert.deepEqual(kept, keptBefore, event.type)
    }
    assert.deepEqual(after.get(othersEvent.id), before.get(othersEvent.id), 'another user\'s entry is untouched')

    const tombstone = after.get(deleted.id)!
    assert.deepEqual(tombstone.data, { userId, deletedBy: 'self' })
    assert.equal(tombstone.subject, userId)
    assert.equal(tombstone.erasedAt, null)
    assert.deepEqual(record.data, { userId, deletedEventId: deleted.id, erasedEntries: 3 })
    assert.ok(record.seq > tombstone.seq)

    const raw = await rawTrail()
    for (const personal of [email, phone, 'Ada Lovelace']) assert.equal(raw.includes(personal), false, `${personal} is still stored`)
    assert.equal((await audit.verify()).ok, true)
  })

  it('stores what arrives about the user later erased, and erases nothing twice when user.deleted is delivered again', async () => {
    const userId = newUserId()
    const deleted = await audit.publish('user.deleted', { userId, email: `late.${tag()}@example.com`, phone: null, emailVerified: false, phoneVerified: false, deletedBy: 'admin' }, userId)
    await waitFor(async () => (await entries({ type: 'audit.personal_data_erased', userId })).length === 1)

    const late = await audit.publish('user.updated', { userId, name: 'Late Name' }, userId)
    await audit.service.backends.bus.bus.publish(deleted)
    const marker = await audit.publish('user.updated', { userId: newUserId() })
    await audit.waitStored([late, marker])

    const entry = (await entries({ userId })).find(e => e.id === late.id)!
    assert.deepEqual(entry.data, { erased: true })
    assert.match(entry.dataHash, /^[0-9a-f]{64}$/)
    assert.equal((await entries({ type: 'audit.personal_data_erased', userId })).length, 1)
    assert.equal((await rawTrail()).includes('Late Name'), false)
    assert.equal((await audit.verify()).ok, true)
  })

  it('lets the database change stored data only by erasing it, and verify still catches a changed hash', async () => {
    const userId = newUserId()
    const event = await audit.publish('user.updated', { userId, name: 'Tamper Target' }, userId)
    await audit.waitStored([event])
    const db = audit.db()
    await assert.rejects(db.query('update audit_events set data = \'{"name": "Someone Else"}\'::jsonb where event_id = $1', [event.id]), /append-only: UPDATE refused/)
    await assert.rejects(db.query('update audit_events set data = \'{"erased": true}\'::jsonb, erased_at = now(), data_hash = $2 where event_id = $1', [event.id, 'f'.repeat(64)]), /append-only: UPDATE refused/)
    await assert.rejects(db.query('update audit_events set data = \'{"erased": true}\'::jsonb where event_id = $1', [event.id]), /append-only: UPDATE refused/, 'an erasure says when it happened')

    const { rows } = await db.query<{ seq: string }>('select seq from audit_events where event_id = $1', [event.id])
    await audit.bypassTrigger(tx => tx.query('update audit_events set data_hash = $2 where event_id = $1', [event.id, 'f'.repeat(64)]))
    const result = await audit.verify()
    assert.deepEqual(result.firstBroken, { seq: Number(rows[0]!.seq), eventId: event.id, reason: 'hash_mismatch' })
  })
})
