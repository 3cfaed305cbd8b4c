import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { internalHeadersFor, waitFor } from '@app/kit/testing'
import { uniqueEmail, uniquePhone, useOtp, wrong } from './helper.ts'

const MINUTE_MS = 60_000

describe('otp: generate, validate, resend, regenerate', () => {
  const t = useOtp()

  it('sends a 6-digit code by SMS to a phone; it validates once, and no event or response carries it', async () => {
    const phone = uniquePhone()
    const res = await t.post('generate', { destination: phone })
    assert.equal(res.statusCode, 202)
    assert.deepEqual(res.json(), { message: 'A code is on its way', expiresIn: 600, resendAfter: 0 })
    const code = await t.codeNumber(phone, 1)
    assert.equal((await t.messages(phone))[0]!.channel, 'sms')
    const ok = await t.post('validate', { destination: phone, otp: code })
    assert.equal(ok.statusCode, 200)
    assert.deepEqual(ok.json(), { valid: true })
    const again = await t.post('validate', { destination: phone, otp: code })
    assert.equal(again.statusCode, 410)
    assert.equal(again.json().code, 'otp_expired')
    await waitFor(() => t.events.find(e => e.type === 'otp.validated' && (e.data as { destination: string }).destination === phone))
    assert.ok(!JSON.stringify(t.events).includes(code))
  })

  it('sends to an email by email, and a code only validates for its own purpose', async () => {
    const email = uniqueEmail()
    const code = await t.generate(email.replace('example.com', 'Example.COM'), 'login')
    const [message] = await t.messages(email)
    assert.equal(message!.channel, 'email')
    assert.match(message!.subject!, /login code/)
    assert.equal((await t.post('validate', { destination: email, otp: code })).statusCode, 410)
    assert.equal((await t.post('validate', { destination: email, purpose: 'login', otp: code })).statusCode, 200)
  })

  it('counts wrong codes down and kills the code after the fifth', async () => {
    const phone = uniquePhone()
    const code = await t.generate(phone)
    for (let left = 4; left >= 1; left--) {
      const res = await t.post('validate', { destination: phone, otp: wrong(code) })
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().code, 'otp_invalid')
      assert.equal(res.json().attemptsLeft, left)
    }
    const fifth = await t.post('validate', { destination: phone, otp: wrong(code) })
    assert.equal(fifth.statusCode, 429)
    assert.equal(fifth.json().code, 'otp_attempts_exceeded')
    assert.equal((await t.post('validate', { destination: phone, otp: code })).statusCode, 410)
  })

  it('resends the same code, and answers 410 when none is live', async () => {
    const phone = uniquePhone()
    assert.equal((await t.post('resend', { destination: phone })).json().code, 'otp_expired')
    const code = await t.generate(phone)
    const res = await t.post('resend', { destination: phone })
    assert.equal(res.statusCode, 202)
    assert.ok(!res.body.includes(code))
    assert.equal(await t.codeNumber(phone, 2), code)
    assert.equal((await t.post('validate', { destination: phone, otp: code })).statusCode, 200)
  })

  it('regenerates: the old code stops working at once, the new one works', async () => {
    const phone = uniquePhone()
    const old = await t.generate(phone)
    assert.equal((await t.post('regenerate', { destination: phone })).statusCode, 202)
    const fresh = await t.codeNumber(phone, 2)
    if (fresh !== old) assert.equal((await t.post('validate', { destination: phone, otp: old })).json().code, 'otp_invalid')
    assert.equal((await t.post('validate', { destination: phone, otp: fresh })).statusCode, 200)
    await waitFor(() => t.events.find(e => e.type === 'otp.regenerated' && (e.data as { destination: string }).destination === phone))
  })

  it('expires a code after 10 minutes', async (ctx) => {
    const phone = uniquePhone()
    const code = await t.generate(phone)
    const later = new Date(Date.now() + 11 * MINUTE_MS)
    ctx.mock.method(t.otp.ctx, 'now', () => later)
    assert.equal((await t.post('validate', { destination: phone, otp: code })).statusCode, 410)
    assert.equal((await t.post('resend', { destination: phone })).statusCode, 410)
  })

  it('lets exactly one of two concurrent validations of one code succeed', async () => {
    const phone = uniquePhone()
    const code = await t.generate(phone)
    const results = await Promise.all([1, 2, 3].map(() => t.post('validate', { destination: phone, otp: code })))
    assert.equal(results.filter(r => r.statusCode === 200).length, 1)
    const { rows } = await t.otp.ctx.db.query<{ n: number }>("select count(*)::int as n from outbox where type = 'otp.validated' and event->'data'->>'destination' = $1", [phone])
    assert.equal(rows[0]!.n, 1, 'one validation event')
  })

  it('writes the validation event only with the spend: none when another instance spent the code first', async () => {
    const phone = uniquePhone()
    const validated = async () => (await t.otp.ctx.db.query<{ n: number }>(
      "select count(*)::int as n from outbox where type = 'otp.validated' and event->'data'->>'destination' = $1", [phone])).rows[0]!.n
    const code = await t.generate(phone)
    // Spent behind this instance's cache, as another instance would.
    await t.otp.ctx.db.query("update otp_codes set state = 'used' where destination = $1 and state = 'active'", [phone])
    assert.equal((await t.post('validate', { destination: phone, otp: code })).statusCode, 410)
    assert.equal(await validated(), 0)
  })

  it('names the field of a bad destination, code or channel', async () => {
    assert.equal((await t.post('generate', { destination: '555-0123' })).json().errors[0].path, '/body/destination')
    assert.equal((await t.post('generate', { destination: '+1415' })).json().errors[0].path, '/body/destination')
    assert.equal((await t.post('generate', { destination: uniquePhone(), channel: 'email' })).json().errors[0].path, '/body/channel')
    assert.equal((await t.post('validate', { destination: uniquePhone(), otp: '12345' })).json().errors[0].path, '/body/otp')
    assert.equal((await t.post('generate', { destination: uniquePhone(), purpose: 'other' })).statusCode, 400)
  })

  it('serves other services on /internal with the service credential only', async () => {
    const phone = uniquePhone()
    const send = (headers: Record<string, string>) => t.otp.app.inject({ method: 'POST', url: '/internal/otp/send', headers, payload: { destination: phone, purpose: 'password_reset' } })
    assert.equal((await send({})).statusCode, 401)
    assert.equal((await send(internalHeadersFor('otp'))).statusCode, 202)
    const code = await t.codeNumber(phone, 1)
    const verify = await t.otp.app.inject({ method: 'POST', url: '/internal/otp/verify', headers: internalHeadersFor('otp'), payload: { destination: phone, purpose: 'password_reset', otp: code } })
    assert.equal(verify.statusCode, 200)
  })
})

describe('otp: resend cooldown', () => {
  const t = useOtp({ OTP_RESEND_COOLDOWN_SECONDS: '30' })

  it('refuses another send for the destination within the cooldown, with Retry-After', async () => {
    const phone = uniquePhone()
    assert.equal((await t.post('generate', { destination: phone })).statusCode, 202)
    for (const path of ['resend', 'regenerate', 'generate']) {
      const res = await t.post(path, { destination: phone })
      assert.equal(res.statusCode, 429, path)
      assert.equal(res.json().code, 'rate_limited')
      const retryAfter = Number(res.headers['retry-after'])
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30, String(retryAfter))
    }
  })
})

describe('otp: volume limits and the guessing budget', () => {
  const t = useOtp({ OTP_MAX_SENDS_PER_HOUR: '3', OTP_MAX_SENDS_PER_IP_HOUR: '5', OTP_MAX_FAILURES_PER_HOUR: '10' })
  let ipCounter = 0
  const fromIp = () => `10.9.${Math.floor(Math.random() * 250)}.${++ipCounter}`
  const generateFrom = (ip: string, destination: string) =>
    t.otp.app.inject({ method: 'POST', url: '/api/v1/otp/generate', payload: { destination }, remoteAddress: ip })

  it('caps sends per destination per hour', async () => {
    const phone = uniquePhone()
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await generateFrom(fromIp(), phone)).statusCode)
    assert.deepEqual(statuses, [202, 202, 202, 429])
  })

  it('caps sends per client IP over all destinations', async () => {
    const ip = fromIp()
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await generateFrom(ip, uniquePhone())).statusCode)
    assert.deepEqual(statuses, [202, 202, 202, 202, 202, 429])
    assert.equal((await generateFrom(fromIp(), uniquePhone())).statusCode, 202)
  })

  it('keeps counting wrong codes across regenerated codes: 10 per destination and hour', async () => {
    const email = uniqueEmail()
    let code = await t.generate(email)
    for (let round = 0; round < 3; round++) {
      const tries = round < 2 ? 4 : 2
      for (let i = 0; i < tries; i++) assert.equal((await t.post('validate', { destination: email, otp: wrong(code) })).statusCode, 400)
      if (round < 2) {
        assert.equal((await t.post('regenerate', { destination: email })).statusCode, 202)
        code = await t.codeNumber(email, round + 2)
      }
    }
    const blocked = await t.post('validate', { destination: email, otp: code })
    assert.equal(blocked.statusCode, 429)
    assert.equal(blocked.json().code, 'rate_limited')
  })
})

describe('otp: the cooldown after a successful validation', () => {
  const t = useOtp({ OTP_RESEND_COOLDOWN_SECONDS: '30' })

  it('lets the next flow send a new code at once once the last one was used', async () => {
    const phone = uniquePhone()
    const code = await t.generate(phone, 'mfa')
    assert.equal((await t.post('validate', { destination: phone, purpose: 'mfa', otp: code })).statusCode, 200)
    assert.equal((await t.post('generate', { destination: phone, purpose: 'mfa' })).statusCode, 202)
    assert.equal((await t.post('generate', { destination: phone, purpose: 'mfa' })).statusCode, 429, 'the new, unused code still has its cooldown')
  })
})
