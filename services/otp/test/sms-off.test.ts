import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { uniqueEmail, uniquePhone, useOtp } from './helper.ts'

describe('otp in an email-only deployment (SMS_ENABLED=false)', () => {
  const t = useOtp({ SMS_ENABLED: 'false' })

  it('answers 400 sms_unavailable naming the destination for a code by SMS, and sends nothing', async () => {
    const phone = uniquePhone()
    for (const path of ['generate', 'regenerate'] as const) {
      const res = await t.post(path, { destination: phone })
      assert.equal(res.statusCode, 400)
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/)
      const body = res.json()
      assert.equal(body.code, 'sms_unavailable')
      assert.deepEqual(body.errors.map((e: { path: string }) => e.path), ['/body/destination'])
    }
    const internal = await t.internal('send', { destination: phone, purpose: 'password_reset', flow: 'password_reset' })
    assert.deepEqual([internal.statusCode, internal.json().code], [400, 'sms_unavailable'], 'other services asking for a code get the same answer')
    assert.equal(await t.deliveries([phone]), 0)
  })

  it('still sends codes by email', async () => {
    const email = uniqueEmail()
    const code = await t.generate(email)
    assert.equal((await t.post('validate', { destination: email, otp: code })).statusCode, 200)
  })
})
