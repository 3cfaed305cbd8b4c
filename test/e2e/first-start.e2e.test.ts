import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

const ADMIN = { email: `first.admin.${randomBytes(4).toString('hex')}@example.com`, password: 'admin passphrase for tests' }

describe('the first start', () => {
  // The administrator is created while the services start, before some consumers
  // have subscribed: its event must still reach every one of them.
  const gw = usePlatform({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password })

  it('records the administrator created at start-up in the audit trail and sends its welcome mail', async () => {
    const login = await gw.json('POST', '/api/v1/auth/login', ADMIN)
    assert.equal(login.status, 200)
    const auth = { authorization: `Bearer ${login.body.accessToken}` }
    const me = await gw.json('GET', '/api/v1/users/me', undefined, auth)
    const registered = await waitFor(async () => {
      const res = await gw.json('GET', `/api/v1/audit/events?userId=${me.body.id}&type=user.registered`, undefined, auth)
      return (res.body.items as unknown[]).length > 0 && res.body.items
    }, 15_000, 100)
    assert.equal(registered.length, 1, 'recorded once')
    const welcome = await waitFor(async () => {
      const res = await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(ADMIN.email)}`)
      return (res.body.items as Array<{ subject: string | null }>).find(m => m.subject?.startsWith('Welcome'))
    }, 15_000, 100)
    assert.ok(welcome)
  })
})
