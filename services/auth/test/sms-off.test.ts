import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { callerHeadersFor, uniquePhone } from '@app/kit/testing'
import { useAuth } from './helper.ts'

describe('auth in an email-only deployment (SMS_ENABLED=false)', () => {
  const t = useAuth({ SMS_ENABLED: 'false' })

  it('refuses phone sign-up and phone login with 400 sms_unavailable naming the phone, the same for every number', async () => {
    for (const path of ['signup', 'login/start']) {
      const res = await t.post(`/api/v1/auth/phone/${path}`, { phone: uniquePhone() })
      assert.equal(res.statusCode, 400, path)
      assert.equal(res.json().code, 'sms_unavailable')
      assert.deepEqual(res.json().errors, [{ path: '/body/phone', message: 'needs SMS, which is turned off here' }])
    }
    const { rows } = await t.auth.ctx.db.query<{ n: number }>("select count(*)::int as n from outbox where type in ('otp.requested', 'auth.phone_login_requested')")
    assert.equal(rows[0]!.n, 0, 'nothing was asked for in the background')
  })

  it('refuses turning on two-step login by SMS, and still offers email', async () => {
    const { id } = await t.register()
    const headers = callerHeadersFor(id)
    const sms = await t.auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', headers, payload: { enabled: true, channel: 'sms' } })
    assert.deepEqual([sms.statusCode, sms.json().code, sms.json().errors[0].path], [400, 'sms_unavailable', '/body/channel'])
    const email = await t.auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', headers, payload: { enabled: true, channel: 'email' } })
    assert.equal(email.statusCode, 200, email.body)
  })
})
