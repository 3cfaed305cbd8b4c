import { describe, it, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { callerHeadersFor, internalHeadersFor, startTcpProxy, waitFor } from '@app/kit/testing'
import type { TcpProxy } from '@app/kit/testing'
import { post, REAL_SERVERS, useProcesses } from './processes.ts'

const ORDERS = 200
const PASSWORD = 'correct horse battery'

interface Message { to: string, subject: string | null, text: string }

describe('order confirmations survive a broker outage and a killed notification service', { skip: !REAL_SERVERS && 'needs DATABASE_URL, REDIS_URL and AMQP_URL' }, () => {
  const processes = useProcesses()
  const url = {} as { user: string, order: string, notification: string }
  let proxy: TcpProxy

  before(async () => {
    const amqp = new URL(process.env.AMQP_URL!)
    proxy = await startTcpProxy(amqp.hostname, Number(amqp.port || 5672))
    // Every process reaches RabbitMQ through the proxy, so the test can cut it.
    processes.env.AMQP_URL = proxy.url(process.env.AMQP_URL)
    processes.env.BUS_RETRY_BASE_MS = '100'
    processes.env.OUTBOX_POLL_MS = '100'
    // A killed worker's claimed messages are taken over after this lease.
    processes.env.NOTIFY_SEND_LEASE_MS = '5000'
    processes.env.NOTIFY_SMTP_TIMEOUT_MS = '1000'
    processes.env.NOTIFY_TWILIO_TIMEOUT_MS = '1000'
    url.user = await processes.start('user', 'user')
    processes.env.USER_SERVICE_URL = url.user
    url.notification = await processes.start('notification', 'notification', { NOTIFY_DEV_INBOX: 'on' })
    url.order = await processes.start('order', 'order')
  })
  after(async () => { await proxy?.close() })

  async function buyer (): Promise<{ id: string, email: string }> {
    const email = `buyer.${randomBytes(4).toString('hex')}@example.com`
    const res = await post(`${url.user}/api/v1/users/register`, { email, password: PASSWORD })
    assert.equal(res.status, 201)
    const id = String(res.body.id)
    // Order confirmations go to verified addresses only.
    const verified = await fetch(`${url.user}/internal/users/${id}/email-verified`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...internalHeadersFor('user') }, body: JSON.stringify({ email })
    })
    assert.equal(verified.status, 200)
    return { id, email }
  }

  async function order (userId: string, n: number): Promise<string> {
    const res = await fetch(`${url.order}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...callerHeadersFor(userId) },
      body: JSON.stringify({ items: [{ sku: `SKU-${n}`, quantity: 1, unitPrice: 100 + n }], currency: 'USD' })
    })
    assert.equal(res.status, 201)
    return String(((await res.json()) as { id: string }).id)
  }

  /** The order confirmations in the dev inbox, by the order id each one names. */
  async function confirmations (email: string, ids: string[]): Promise<Map<string, number>> {
    const res = await fetch(`${url.notification}/dev/inbox?to=${encodeURIComponent(email)}&limit=500`)
    const items = ((await res.json()) as { items: Message[] }).items
    const counts = new Map<string, number>()
    for (const m of items) {
      const id = ids.find(i => m.text.includes(i))
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    return counts
  }

  async function allConfirmedOnce (email: string, ids: string[]): Promise<void> {
    const counts = await waitFor(async () => {
      const c = await confirmations(email, ids)
      return c.size === ids.length && c
    }, 120_000, 500).catch(async (err) => { throw new Error(`${(await confirmations(email, ids)).size} of ${ids.length} confirmed: ${err}\n${processes.output.slice(-30).join('\n')}`) })
    // A little longer: a duplicate would arrive now.
    await new Promise(resolve => setTimeout(resolve, 1000))
    assert.deepEqual([...(await confirmations(email, ids)).values()].filter(n => n !== 1), [])
    assert.equal(counts.size, ids.length)
  }

  it(`delivers all ${ORDERS} confirmations once when RabbitMQ goes away while they are ordered`, async () => {
    const { id, email } = await buyer()
    const ids: string[] = []
    for (let n = 0; n < ORDERS; n++) {
      if (n === 20) proxy.cut()
      if (n === 180) proxy.restore()
      ids.push(await order(id, n))
    }
    await allConfirmedOnce(email, ids)
  })

  it(`delivers all ${ORDERS} confirmations once when the notification service is killed mid-stream and restarted`, async () => {
    const { id, email } = await buyer()
    const ids: string[] = []
    for (let n = 0; n < ORDERS; n++) {
      if (n === 100) {
        await processes.kill('notification')
        url.notification = await processes.start('notification', 'notification-2', { NOTIFY_DEV_INBOX: 'on' })
      }
      ids.push(await order(id, n))
    }
    await allConfirmedOnce(email, ids)
  })
})
