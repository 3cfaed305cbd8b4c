import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

describe('an email-only deployment (SMS_ENABLED=false), through the gateway', () => {
  const gw = usePlatform({ SMS_ENABLED: 'false' })

  it('answers every way in that needs an SMS with 400 sms_unavailable naming the field, and still sends codes by email', async () => {
    const otp = await gw.json('POST', '/api/v1/otp/generate', { destination: uniquePhone() })
    assert.deepEqual([otp.status, otp.body.code, otp.body.errors[0].path], [400, 'sms_unavailable', '/body/destination'])
    const signup = await gw.json('POST', '/api/v1/auth/phone/signup', { phone: uniquePhone() })
    assert.deepEqual([signup.status, signup.body.code, signup.body.errors[0].path], [400, 'sms_unavailable', '/body/phone'])

    const email = `email.only.${randomBytes(4).toString('hex')}@example.com`
    assert.equal((await gw.json('POST', '/api/v1/otp/generate', { destination: email })).status, 202)
    const message = await waitFor(async () => {
      const res = await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(email)}`)
      return (res.body.items as Array<{ text: string }>)[0]
    }, 15_000, 100)
    assert.match(message.text, /\b\d{6}\b/)
  })
})
