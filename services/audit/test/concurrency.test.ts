import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestService } from '@app/kit/testing'
import { auditService } from '../src/service.ts'
import { assertSingleChain, internal, useAuditService } from './helper.ts'

describe('concurrent appends', () => {
  const audit = useAuditService()

  it('keep one valid chain with two instances consuming and log-event calls at the same time', async (t) => {
    // A second instance on the same schema and consumer queue, as a second container would be.
    const second = await startTestService(auditService, {}, audit.service.backends)
    t.after(() => second.cleanup())

    const published = Array.from({ length: 100 }, (_, i) => audit.publish(i % 2 ? 'auth.login_succeeded' : 'otp.generated', { i }))
    const logged = Array.from({ length: 20 }, (_, i) => (i % 2 ? audit.app : second.app).inject({
      method: 'POST', url: '/internal/audit/events', headers: internal, payload: { type: 'admin.exported', data: { i } }
    }))
    const events = await Promise.all(published)
    const responses = await Promise.all(logged)
    for (const res of responses) assert.equal(res.statusCode, 201, res.body)
    await audit.waitStored(events)

    const chain = await audit.chain()
    assert.equal(chain.length, 120)
    assertSingleChain(chain)
    assert.equal(new Set(chain.map(e => e.eventId)).size, 120)
    assert.deepEqual(await audit.verify(), { ok: true, checked: 120, head: { seq: 120, hash: chain.at(-1)!.hash } })
  })
})
