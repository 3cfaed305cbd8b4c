import { describe, it, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { decodeJwt } from 'jose'
import { openTestBackends, startTestService, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { notificationService } from '@app/notification'
import { otpService } from '@app/otp'
import { passwordService } from '@app/password'
import { userService } from '@app/user'
import { authService } from '../src/service.ts'
import { uniquePhone } from './phone-stack.ts'

type Running = Awaited<ReturnType<typeof startTestService>>

/** User, notification, otp, auth and password on one set of backends, with the production limits of the otp service. */
function useStack () {
  const s = {} as { backends: TestBackends, user: Running, notification: Running, otp: Running, auth: Running, password: Running }
  before(async () => {
    s.backends = await openTestBackends()
    s.user = await startTestService(userService, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }, s.backends)
    s.notification = await startTestService(notificationService, {}, s.backends)
    s.otp = await startTestService(otpService, { OTP_RESEND_COOLDOWN_SECONDS: '0' }, s.backends)
    s.auth = await startTestService(authService, { USER_SERVICE_URL: s.user.url, OTP_SERVICE_URL: s.otp.url }, s.backends)
    s.password = await startTestService(passwordService, { USER_SERVICE_URL: s.user.url, AUTH_SERVICE_URL: s.auth.url, OTP_SERVICE_URL: s.otp.url, PASSWORD_RESET_URL: 'https://app.example.com/reset' }, s.backends)
  })
  after(async () => {
    for (const running of [s.password, s.auth, s.otp, s.notification, s.user]) await running?.cleanup()
    await s.backends?.cleanup()
  })
  const inject = (service: Running, url: string, payload: object, remoteAddress?: string) =>
    service.app.inject({ method: 'POST', url, payload, ...(remoteAddress ? { remoteAddress } : {}) })
  const codes = async (phone: string) => ((await s.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(phone)}` })).json().items as Array<{ text: string }>)
    .filter(m => /\b\d{6}\b/.test(m.text))
  return {
    s,
    codes,
    phone: (path: string, payload: object, ip?: string) => inject(s.auth, `/api/v1/auth/phone/${path}`, payload, ip),
    otp: (path: string, payload: object, ip?: string) => inject(s.otp, `/api/v1/otp/${path}`, payload, ip),
    password: (path: string, payload: object) => inject(s.password, `/api/v1/password/${path}`, payload),
    /** Waits for the `n`-th code to the number and returns it. */
    async codeNumber (phone: string, n: number): Promise<string> {
      const items = await waitFor(async () => { const all = await codes(phone); return all.length >= n && all })
      return /\b(\d{6})\b/.exec(items[0]!.text)![1]!
    }
  }
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

describe('phone codes are bound to their flow, and login codes go to verified numbers only', () => {
  const t = useStack()

  async function verifiedAccount (): Promise<{ phone: string, userId: string, sent: number }> {
    const phone = uniquePhone()
    await t.phone('signup', { phone })
    const res = await t.phone('verify', { phone, otp: await t.codeNumber(phone, 1) })
    assert.equal(res.statusCode, 200, res.body)
    return { phone, userId: String(decodeJwt(res.json().accessToken).sub), sent: 1 }
  }

  it('refuses a code from /otp/generate for phone sign-up and for phone login', async () => {
    const newcomer = uniquePhone()
    await t.otp('generate', { destination: newcomer, purpose: 'verification' })
    const signup = await t.phone('verify', { phone: newcomer, otp: await t.codeNumber(newcomer, 1) })
    assert.equal(signup.statusCode, 410)
    assert.equal(signup.json().code, 'otp_expired')

    const { phone } = await verifiedAccount()
    await t.otp('generate', { destination: phone, purpose: 'login' })
    assert.equal((await t.phone('login', { phone, otp: await t.codeNumber(phone, 2) })).statusCode, 410)
  })

  it('sends no login code to a registered number that was never verified, with the same answer', async () => {
    const phone = uniquePhone()
    const registered = await t.s.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email: `pf.${randomBytes(4).toString('hex')}@example.com`, phone, password: 'correct horse battery' } })
    assert.equal(registered.statusCode, 201)
    assert.equal(registered.json().phoneVerified, false)
    const handled = async () => (await t.s.auth.ctx.db.query<{ n: number }>('select count(*)::int as n from processed_events where consumer = $1', ['auth.phone-login'])).rows[0]!.n
    const before = await handled()
    const start = await t.phone('login/start', { phone })
    assert.equal(start.statusCode, 202)
    assert.deepEqual(start.json(), { message: 'OTP will be sent soon' })
    await waitFor(async () => await handled() > before)
    const requested = await t.s.auth.ctx.db.query("select 1 from outbox where type = 'otp.requested' and event->'data'->>'destination' = $1", [phone])
    assert.equal(requested.rows.length, 0, 'no code was asked for')
    assert.deepEqual(await t.codes(phone), [])
    assert.equal((await t.phone('login', { phone, otp: '123456' })).statusCode, 410)
  })

  it('keeps the owner\'s login and reset codes working after a stranger spent the public budget of the number', async () => {
    const { phone, userId } = await verifiedAccount()
    let sent = 1
    for (let round = 0; round < 2; round++) {
      await t.otp('generate', { destination: phone })
      const code = await t.codeNumber(phone, ++sent)
      for (let i = 0; i < 5; i++) assert.notEqual((await t.otp('validate', { destination: phone, otp: wrong(code) })).statusCode, 200)
    }
    for (let i = 0; i < 3; i++) assert.equal((await t.otp('generate', { destination: phone })).statusCode, 202)
    sent += 3
    assert.equal((await t.otp('generate', { destination: phone })).statusCode, 429, 'the stranger\'s sends are capped')
    const guessed = await t.otp('validate', { destination: phone, otp: await t.codeNumber(phone, sent) })
    assert.equal(guessed.json().code, 'rate_limited', 'so are the stranger\'s guesses')

    assert.equal((await t.phone('login/start', { phone })).statusCode, 202)
    const login = await t.phone('login', { phone, otp: await t.codeNumber(phone, ++sent) })
    assert.equal(login.statusCode, 200, login.body)
    assert.equal(decodeJwt(login.json().accessToken).sub, userId)

    assert.equal((await t.password('forgot', { phone, method: 'otp' })).statusCode, 202)
    const reset = await t.password('reset', { phone, otp: await t.codeNumber(phone, ++sent), newPassword: 'staple gun kangaroo' })
    assert.equal(reset.statusCode, 204, reset.body)
  })
})

describe('phone/check is limited by the auth service itself', () => {
  const t = useStack()
  let n = 0
  const ip = () => `10.66.${Math.floor(n / 250)}.${(n++ % 250) + 1}`

  it('per client IP: a caller on the auth port gets 429 after 10 checks in 10 minutes', async () => {
    const caller = ip()
    const statuses = []
    for (let i = 0; i < 11; i++) statuses.push((await t.phone('check', { phone: uniquePhone() }, caller)).statusCode)
    assert.deepEqual(statuses, [...Array(10).fill(200), 429])
    const refused = await t.phone('check', { phone: '+1415' }, caller)
    assert.equal(refused.statusCode, 429, 'malformed numbers count too')
    assert.equal(refused.json().code, 'rate_limited')
    assert.ok(Number(refused.headers['retry-after']) >= 1)
    assert.equal((await t.phone('check', { phone: uniquePhone() }, ip())).statusCode, 200)
  })

  it('per number: one number checked from many addresses gets 429 after 5', async () => {
    const phone = uniquePhone()
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await t.phone('check', { phone }, ip())).statusCode)
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429])
  })

  it('over Connect on the auth port as well', async () => {
    const call = (phone: string) => t.s.auth.app.inject({
      method: 'POST',
      url: '/rpc/auth.v1.AuthService/ValidatePhoneNumberLogin',
      headers: { 'content-type': 'application/json' },
      payload: { phoneNumber: phone }
    })
    const statuses = []
    for (let i = 0; i < 11; i++) statuses.push((await call(uniquePhone())).statusCode)
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(200))
    assert.equal(statuses[10], 429)
  })
})
