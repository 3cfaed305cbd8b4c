import { describe, it, before } from 'node:test'
import assert from 'node:assert/strict'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { post, REAL_SERVERS, useProcesses } from './processes.ts'

describe('two otp instances as separate processes', { skip: !REAL_SERVERS && 'needs DATABASE_URL, REDIS_URL and AMQP_URL' }, () => {
  const processes = useProcesses()
  const url = {} as { notification: string, a: string, b: string }

  before(async () => {
    url.notification = await processes.start('notification', 'notification', { NOTIFY_DEV_INBOX: 'on' })
    url.a = await processes.start('otp', 'otp-a', { OTP_RESEND_COOLDOWN_SECONDS: '30' })
    url.b = await processes.start('otp', 'otp-b', { OTP_RESEND_COOLDOWN_SECONDS: '30' })
  })

  async function codeFor (phone: string): Promise<string> {
    const items = await waitFor(async () => {
      const res = await fetch(`${url.notification}/dev/inbox?to=${encodeURIComponent(phone)}`)
      const body = await res.json() as { items: Array<{ text: string }> }
      return body.items.length > 0 && body.items
    }, 20_000, 100)
    return /\b(\d{6})\b/.exec(items[0]!.text)![1]!
  }

  it('validates on one instance a code generated on the other, once', async () => {
    const phone = uniquePhone()
    assert.equal((await post(`${url.a}/api/v1/otp/generate`, { destination: phone })).status, 202)
    const code = await codeFor(phone)
    assert.equal((await post(`${url.b}/api/v1/otp/validate`, { destination: phone, otp: code })).status, 200)
    assert.equal((await post(`${url.a}/api/v1/otp/validate`, { destination: phone, otp: code })).status, 410)
  })

  it('shares the resend cooldown and the wrong-code count', async () => {
    const phone = uniquePhone()
    assert.equal((await post(`${url.a}/api/v1/otp/generate`, { destination: phone })).status, 202)
    const again = await post(`${url.b}/api/v1/otp/resend`, { destination: phone })
    assert.equal(again.status, 429)
    const code = await codeFor(phone)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    const first = await post(`${url.a}/api/v1/otp/validate`, { destination: phone, otp: wrong })
    const second = await post(`${url.b}/api/v1/otp/validate`, { destination: phone, otp: wrong })
    assert.deepEqual([first.body.attemptsLeft, second.body.attemptsLeft], [4, 3])
  })
})
