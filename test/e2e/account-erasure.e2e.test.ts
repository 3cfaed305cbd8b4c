import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const ADMIN = { email: `erasure.admin.${randomBytes(4).toString('hex')}@example.com`, password: 'admin passphrase for tests' }
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

interface Entry { id: string, type: string, subject: string | null, data: Record<string, unknown>, dataHash: string, erasedAt: string | null }

describe('deleting an account erases the user\'s personal data in every service that holds it', () => {
  const gw = usePlatform({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, GATEWAY_RATE_LIMIT_PER_MINUTE: '20000' })
  const inbox = async (to: string, match: RegExp) => ((await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(to)}`)).body.items as Array<{ subject: string | null, text: string }>)
    .filter(m => match.test(m.subject ?? ''))
  const linkIn = async (to: string, match: RegExp) => new URL(/https?:\/\/\S+/.exec((await waitFor(async () => (await inbox(to, match))[0], undefined, 50)).text)![0])
  // The mails link to the console's pages, which check nothing on a GET; the services' own pages for the same
  // token say whether it still works (200) or not (400).
  const SERVICE_PAGES: Record<string, string> = { '/auth/reset': '/api/v1/password/reset', '/auth/verify-email': '/api/v1/email-verification/verify' }
  const page = async (link: URL) => {
    const path = SERVICE_PAGES[link.pathname]
    assert.ok(path, `a link to ${link.pathname}`)
    return (await fetch(`${gw.url}${path}${link.search}`)).status
  }

  it('keeps an audit tombstone and a chain that verifies, anonymises the orders, and kills the links', async () => {
    const email = `erase.${randomBytes(4).toString('hex')}@example.com`
    const phone = uniquePhone()
    const name = `Erase Me ${randomBytes(4).toString('hex')}`
    const { body: user } = await gw.json('POST', '/api/v1/users/register', { email, phone, name, password: PASSWORD })
    const verifyLink = await linkIn(email, /Confirm your email/)
    const { body: session } = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    const order = await gw.json('POST', '/api/v1/orders', { items: [{ sku: 'TEA-1', quantity: 2, unitPrice: 500 }], currency: 'EUR' }, bearer(session.accessToken))
    assert.equal(order.status, 201, JSON.stringify(order.body))
    assert.equal((await gw.json('POST', '/api/v1/password/forgot', { email })).status, 202)
    const resetLink = await linkIn(email, /reset/i)
    assert.equal(await page(verifyLink), 200)
    assert.equal(await page(resetLink), 200)

    const deleted = await gw.json('DELETE', '/api/v1/users/me', { password: PASSWORD }, bearer(session.accessToken))
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body))

    const admin = bearer((await gw.json('POST', '/api/v1/auth/login', ADMIN)).body.accessToken)
    const trail = async () => ((await gw.json('GET', `/api/v1/audit/events?userId=${user.id}&limit=200`, undefined, admin)).body.items as Entry[])
    const entries = await waitFor(async () => { const all = await trail(); return all.some(e => e.type === 'audit.personal_data_erased') && all })
    const tombstone = entries.find(e => e.type === 'user.deleted')!
    assert.deepEqual(tombstone.data, { userId: user.id, deletedBy: 'self' })
    assert.ok(entries.some(e => e.type === 'user.registered' && e.erasedAt !== null))
    for (const entry of entries.filter(e => e.type !== 'user.deleted' && e.type !== 'audit.personal_data_erased')) {
      assert.deepEqual(entry.data, { erased: true }, entry.type)
      assert.match(entry.dataHash, /^[0-9a-f]{64}$/)
    }
    assert.equal((await gw.json('GET', '/api/v1/audit/verify', undefined, admin)).body.ok, true)
    const { rows } = await gw.platform.services.get('audit')!.ctx.db.query<{ raw: string }>('select string_agg(data::text, \' \') as raw from audit_events')
    for (const personal of [email, phone, name]) assert.equal(rows[0]!.raw.includes(personal), false, `${personal} is still in the audit trail`)

    const kept = await waitFor(async () => { const res = await gw.json('GET', `/api/v1/orders/${order.body.id}`, undefined, admin); return res.body.userId !== user.id && res })
    assert.equal(kept.status, 200)
    assert.deepEqual({ ...kept.body, userId: user.id }, order.body, 'the order is kept for the accounts')
    assert.equal(kept.body.userId, '00000000-0000-0000-0000-000000000000')

    await waitFor(async () => (await page(resetLink)) === 400)
    await waitFor(async () => (await page(verifyLink)) === 400)
    assert.equal((await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })).status, 401)
  })
})
