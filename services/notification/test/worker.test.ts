import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { waitFor } from '@app/kit/testing'
import { uniqueEmail, useNotification } from './helper.ts'
import type { DeliveryRow } from './helper.ts'

describe('the delivery worker', () => {
  const n = useNotification({ NOTIFY_MAX_ATTEMPTS: '5' })

  /** A row as a worker that died mid-send leaves it: sending, its lease ending `leaseEndsInMs` from now. */
  async function leftSending (attempts: number, leaseEndsInMs: number, variables: object = { name: 'Crash' }): Promise<{ id: string, to: string }> {
    const id = randomUUID()
    const to = uniqueEmail('lease')
    await n.svc.ctx.db.query(`insert into deliveries (id, idempotency_key, channel, recipient, template, locale, variables, status, attempts, max_attempts, next_attempt_at)
      values ($1, $2, 'email', $3, 'welcome', 'en', $4::jsonb, 'sending', $5, 5, now() + ($6::int * interval '1 millisecond'))`,
    [id, `test:${id}`, to, JSON.stringify(variables), attempts, leaseEndsInMs])
    return { id, to }
  }
  const row = async (id: string) => (await n.deliveries('id = $1', [id]))[0]!
  const finished = (id: string) => waitFor(async () => { const r = await row(id); return ['sent', 'dead'].includes(r.status) && r }) as Promise<DeliveryRow>

  it('takes back a message whose worker died once its lease ends, and sends it', async () => {
    const { id, to } = await leftSending(1, -1)
    const sent = await finished(id)
    assert.deepEqual([sent.status, sent.attempts], ['sent', 2])
    assert.equal((await n.inbox(to)).length, 1)
  })

  it('leaves a message alone while another worker\'s lease lasts', async () => {
    const { id } = await leftSending(1, 60_000)
    const recovered = await leftSending(1, -1)
    await finished(recovered.id)
    assert.equal((await row(id)).status, 'sending')
  })

  it('gives up on a message that took its worker down every time', async () => {
    const { id, to } = await leftSending(5, -1)
    const dead = await finished(id)
    assert.deepEqual([dead.status, dead.attempts], ['dead', 6])
    assert.match(dead.last_error!, /attempts used up/)
    assert.equal((await n.inbox(to)).length, 0)
  })

  it('does not retry a message that cannot be rendered', async () => {
    const id = randomUUID()
    await n.svc.ctx.db.query(`insert into deliveries (id, idempotency_key, channel, recipient, template, locale, variables, max_attempts)
      values ($1, $2, 'sms', '+14155550100', 'order_confirmation', 'en', '{}'::jsonb, 5)`, [id, `test:${id}`])
    const dead = await finished(id)
    assert.deepEqual([dead.status, dead.attempts], ['dead', 1])
    assert.match(dead.last_error!, /cannot render: template order_confirmation needs orderId, items, total, currency/)
  })

  it('dead-letters a delivery request that lacks a variable of its template instead of queueing it', async () => {
    const event = await n.request({ template: 'otp_code', channel: 'sms', to: '+14155550101', variables: { expiresInMinutes: '10' } })
    const dead = await waitFor(async () => (await n.backends.bus.bus.deadLetters('notification.requested')).find(d => d.event.id === event.id))
    assert.match(dead.error, /without code/)
    assert.deepEqual(await n.deliveries('event_id = $1', [event.id]), [])
  })
})
