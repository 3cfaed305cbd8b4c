import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const ADMIN = { email: `audit.admin.${randomBytes(4).toString('hex')}@example.com`, password: 'admin passphrase for tests' }
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

interface Message { channel: string, to: string, subject: string | null, text: string }

describe('orders, notifications by preference, and the audit trail, through the gateway', () => {
  // The tests poll the dev inbox: the gateway's per-IP limit is not what they are about.
  const gw = usePlatform({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, GATEWAY_RATE_LIMIT_PER_MINUTE: '20000' })

  const inbox = async (to: string): Promise<Message[]> => (await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(to)}`)).body.items
  const confirmations = async (to: string) => (await inbox(to)).filter(m => /order/i.test(`${m.subject ?? ''} ${m.text}`) && /12\.50|12,50/.test(m.text))

  it('sends each order confirmation only on the channels the user allows, once; the audit trail shows it all in order', async () => {
    const email = `buyer.${randomBytes(4).toString('hex')}@example.com`
    const phone = uniquePhone()
    const { body: user } = await gw.json('POST', '/api/v1/users/register', { email, phone, password: PASSWORD })
    // Order confirmations go only to a verified address: confirm it with the link that was mailed.
    const link = await waitFor(async () => (await inbox(email)).find(m => m.subject?.startsWith('Confirm your email')), undefined, 50)
    const token = new URL(/https?:\/\/\S+/.exec(link.text)![0]).searchParams.get('token')
    assert.equal((await gw.json('POST', '/api/v1/email-verification/verify', { token })).status, 200)
    const { body: session } = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    const auth = bearer(session.accessToken)
    const order = { items: [{ sku: 'TEA-1', quantity: 2, unitPrice: 500 }, { sku: 'MUG-1', quantity: 1, unitPrice: 250 }], currency: 'EUR' }

    assert.equal((await gw.json('PUT', '/api/v1/users/me/preferences', { channels: { email: false, sms: true } }, auth)).status, 200)
    const first = await gw.json('POST', '/api/v1/orders', order, auth)
    assert.equal(first.status, 201)
    assert.equal(first.body.total, 1250)
    const sms = await waitFor(async () => { const m = await confirmations(phone); return m.length > 0 && m }, undefined, 50)
    assert.equal(sms.length, 1)
    assert.equal(sms[0]!.channel, 'sms')

    assert.equal((await gw.json('PUT', '/api/v1/users/me/preferences', { channels: { email: true, sms: false } }, auth)).status, 200)
    assert.equal((await gw.json('POST', '/api/v1/orders', order, auth)).status, 201)
    const mail = await waitFor(async () => { const m = await confirmations(email); return m.length > 0 && m }, undefined, 50)
    assert.equal(mail.length, 1)
    assert.equal(mail[0]!.channel, 'email')
    // Let any stray message land before counting: still one SMS and one email.
    await sleep(500)
    assert.equal((await confirmations(phone)).length, 1)
    assert.equal((await confirmations(email)).length, 1)

    const { body: admin } = await gw.json('POST', '/api/v1/auth/login', ADMIN)
    const adminAuth = bearer(admin.accessToken)
    const types = await waitFor(async () => {
      const res = await gw.json('GET', `/api/v1/audit/events?userId=${user.id}&limit=200`, undefined, adminAuth)
      const seen = (res.body.items as Array<{ type: string }>).map(e => e.type).reverse()
      return seen.filter(t => t === 'order.created').length === 2 && seen
    })
    const order3 = ['user.registered', 'auth.login_succeeded', 'order.created'].map(t => types.indexOf(t))
    assert.ok(order3.every(i => i >= 0), types.join(', '))
    assert.deepEqual([...order3].sort((a, b) => a - b), order3, `in order: ${types.join(', ')}`)
    const verified = await gw.json('GET', '/api/v1/audit/verify', undefined, adminAuth)
    assert.equal(verified.body.ok, true)

    // Someone with database access rewrites history: verify names the row.
    const db = gw.platform.services.get('audit')!.ctx.db
    const { rows } = await db.query<{ seq: string, event_id: string }>("select seq, event_id from audit_events where subject = $1 and type = 'order.created' order by seq limit 1", [user.id])
    await db.tx(async (tx) => {
      await tx.query('alter table audit_events disable trigger user')
      await tx.query('update audit_events set data = jsonb_set(data, \'{total}\', \'1\') where seq = $1', [rows[0]!.seq])
      await tx.query('alter table audit_events enable trigger user')
    })
    const broken = await gw.json('GET', '/api/v1/audit/verify', undefined, adminAuth)
    assert.equal(broken.body.ok, false)
    assert.equal(String(broken.body.firstBroken.seq), String(rows[0]!.seq))
    assert.equal(broken.body.firstBroken.eventId, rows[0]!.event_id)
  })

  it('replays a create retried with the same Idempotency-Key instead of ordering twice', async () => {
    const email = `retry.${randomBytes(4).toString('hex')}@example.com`
    await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD })
    const { body: session } = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    const headers = { ...bearer(session.accessToken), 'idempotency-key': `checkout-${randomBytes(4).toString('hex')}` }
    const order = { items: [{ sku: 'BOOK-7', quantity: 1, unitPrice: 1999 }], currency: 'USD' }
    const first = await gw.json('POST', '/api/v1/orders', order, headers)
    const retry = await gw.json('POST', '/api/v1/orders', order, headers)
    assert.equal(first.status, 201)
    assert.equal(retry.body.id, first.body.id)
    assert.equal(retry.headers.get('idempotent-replayed'), 'true')
    const list = await gw.json('GET', '/api/v1/orders', undefined, bearer(session.accessToken))
    assert.equal(list.body.items.length, 1)
  })
})
