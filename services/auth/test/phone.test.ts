import { describe, it, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { decodeJwt } from 'jose'
import { openTestBackends, startTestService, TEST_SERVICE_SECRET, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { notificationService } from '@app/notification'
import { otpService } from '@app/otp'
import { userService } from '@app/user'
import { authService } from '../src/service.ts'

type Running = Awaited<ReturnType<typeof startTestService>>
const uniquePhone = () => `+1415${2 + randomInt(8)}${String(randomInt(1_000_000)).padStart(6, '0')}`

describe('phone sign-up and login', () => {
  const s = {} as { backends: TestBackends, user: Running, auth: Running, otp: Running, notification: Running }
  before(async () => {
    s.backends = await openTestBackends()
    s.user = await startTestService(userService, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }, s.backends)
    s.notification = await startTestService(notificationService, {}, s.backends)
    s.otp = await startTestService(otpService, { OTP_RESEND_COOLDOWN_SECONDS: '0' }, s.backends)
    s.auth = await startTestService(authService, { USER_SERVICE_URL: s.user.url, OTP_SERVICE_URL: s.otp.url }, s.backends)
  })
  after(async () => {
    for (const running of [s.auth, s.otp, s.notification, s.user]) await running?.cleanup()
    await s.backends?.cleanup()
  })

  const post = (path: string, payload: object) => s.auth.app.inject({ method: 'POST', url: `/api/v1/auth/phone/${path}`, payload })
  /** The code messages to a number, newest first (a new account's welcome SMS is left out). */
  const sms = async (phone: string) => ((await s.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(phone)}` })).json().items as Array<{ text: string }>)
    .filter(m => /\b\d{6}\b/.test(m.text))
  async function codeNumber (phone: string, n: number): Promise<string> {
    const items = await waitFor(async () => { const all = await sms(phone); return all.length >= n && all })
    return /\b(\d{6})\b/.exec(items[0]!.text)![1]!
  }
  const getUser = async (id: string) => (await s.user.app.inject({ method: 'GET', url: `/internal/users/${id}`, headers: { 'x-service-token': TEST_SERVICE_SECRET } })).json()

  it('signs up: 202 at once, the code arrives by SMS, verify creates the account and returns a token pair', async () => {
    const phone = uniquePhone()
    const res = await post('signup', { phone })
    assert.equal(res.statusCode, 202)
    assert.deepEqual(res.json(), { message: 'OTP will be sent soon' })
    const code = await codeNumber(phone, 1)
    const verified = await post('verify', { phone, otp: code })
    assert.equal(verified.statusCode, 200, verified.body)
    const pair = verified.json()
    assert.equal(pair.tokenType, 'Bearer')
    const user = await getUser(String(decodeJwt(pair.accessToken).sub))
    assert.equal(user.phone, phone)
    assert.equal(user.phoneVerified, true)
    assert.equal(user.email, null)
    // The otp service's answer came back over auth_service_queue.
    const results = await waitFor(async () => {
      const { rows } = await s.auth.ctx.db.query<{ status: string }>('select status from otp_request_results where destination = $1', [phone])
      return rows.length > 0 && rows
    })
    assert.deepEqual(results.map(r => r.status), ['sent'])
  })

  it('signing up an existing number logs into the same account', async () => {
    const phone = uniquePhone()
    await post('signup', { phone })
    const first = (await post('verify', { phone, otp: await codeNumber(phone, 1) })).json()
    await post('signup', { phone })
    const second = (await post('verify', { phone, otp: await codeNumber(phone, 2) })).json()
    assert.equal(decodeJwt(second.accessToken).sub, decodeJwt(first.accessToken).sub)
  })

  it('logs in with a code; login/start answers an unknown number the same and sends it nothing', async () => {
    const phone = uniquePhone()
    await post('signup', { phone })
    const id = decodeJwt((await post('verify', { phone, otp: await codeNumber(phone, 1) })).json().accessToken).sub
    const stranger = uniquePhone()
    const unknown = await post('login/start', { phone: stranger })
    const known = await post('login/start', { phone })
    assert.equal(unknown.statusCode, 202)
    assert.deepEqual(unknown.json(), known.json())
    const code = await codeNumber(phone, 2)
    const login = await post('login', { phone, otp: code })
    assert.equal(login.statusCode, 200)
    assert.equal(decodeJwt(login.json().accessToken).sub, id)
    assert.deepEqual(await sms(stranger), [])
    const noCode = await post('login', { phone: stranger, otp: '123456' })
    assert.equal(noCode.statusCode, 410)
  })

  it('refuses a wrong code, and a signup code cannot log in', async () => {
    const phone = uniquePhone()
    await post('signup', { phone })
    const code = await codeNumber(phone, 1)
    const wrong = await post('verify', { phone, otp: String((Number(code) + 1) % 1_000_000).padStart(6, '0') })
    assert.equal(wrong.statusCode, 400)
    assert.equal(wrong.json().code, 'otp_invalid')
    assert.equal((await post('login', { phone, otp: code })).statusCode, 410)
  })

  it('check says whether a number can log in', async () => {
    const phone = uniquePhone()
    await post('signup', { phone })
    await post('verify', { phone, otp: await codeNumber(phone, 1) })
    assert.deepEqual((await post('check', { phone })).json(), { isValid: true })
    assert.deepEqual((await post('check', { phone: uniquePhone() })).json(), { isValid: false })
    assert.deepEqual((await post('check', { phone: '+1415' })).json(), { isValid: false })
  })

  it('names the field of a bad number', async () => {
    const res = await post('signup', { phone: '+1 not a number' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().errors[0].path, '/body/phone')
  })
})
