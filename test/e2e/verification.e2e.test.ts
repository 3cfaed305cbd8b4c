import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { generate } from 'otplib'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const uniqueEmail = (tag: string) => `${tag}.${randomBytes(4).toString('hex')}@example.com`
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
// Many code requests from one address: the gateway's per-IP limits are not what these tests are about.
const ROOMY_LIMITS = { GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '5000', GATEWAY_RATE_LIMIT_PER_MINUTE: '20000', OTP_MAX_SENDS_PER_IP_HOUR: '5000' }

function inboxReader (gw: ReturnType<typeof usePlatform>) {
  const messages = async (to: string, match: RegExp = /./) => ((await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(to)}`)).body.items as Array<{ subject: string | null, text: string }>)
    .filter(m => match.test(`${m.subject ?? ''} ${m.text}`))
  return {
    messages,
    /** The code of the `n`-th message matching `match` (newest first once it arrived). */
    async code (to: string, n: number, match = /\b\d{6}\b/): Promise<string> {
      const items = await waitFor(async () => { const all = await messages(to, match); return all.length >= n && all }, undefined, 25)
      return /\b(\d{6})\b/.exec(items[0]!.text)![1]!
    }
  }
}

// Code validity is checked on the otp service's clock, which the expiry test moves
// forward: no code may die while a loaded machine delivers it. The resend window is
// real time in the cache (a Redis TTL): the tests wait until it has passed, and
// check the clock to tell a refusal that was due from a machine too slow to see one.
const TTL_SECONDS = 600
const COOLDOWN_SECONDS = 5

type Answer = Awaited<ReturnType<ReturnType<typeof usePlatform>['json']>>
const inCooldown = (res: Answer) => res.status === 429 && /^Wait before/.test(String(res.body?.detail))

describe(`the OTP generator through the gateway (codes valid ${TTL_SECONDS} s on the service's clock, resend window ${COOLDOWN_SECONDS} s)`, () => {
  const gw = usePlatform({ ...ROOMY_LIMITS, OTP_TTL_SECONDS: String(TTL_SECONDS), OTP_RESEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), OTP_MAX_SENDS_PER_HOUR: '3' })
  const inbox = inboxReader(gw)
  const otp = (path: string, body: object) => gw.json('POST', `/api/v1/otp/${path}`, body)

  /** Repeats `send` while the resend window refuses it; what gets through must come a whole window after `since`. */
  async function afterWindow (since: number, send: () => Promise<Answer>): Promise<Answer> {
    const res = await waitFor(async () => { const r = await send(); return !inCooldown(r) && r }, undefined, 100)
    const waited = Date.now() - since
    assert.ok(waited >= COOLDOWN_SECONDS * 1000, `let through after ${waited} ms, within the ${COOLDOWN_SECONDS} s window`)
    return res
  }

  /**
   * Generates, then resends at once. A resend let through after the window says
   * nothing (the machine was too slow to ask within it), so that is tried again
   * with a new number; one let through within the window is a failure.
   */
  async function generateAndResendAtOnce () {
    for (let attempt = 1; ; attempt++) {
      const phone = uniquePhone()
      const since = Date.now()
      const generated = await otp('generate', { destination: phone })
      assert.equal(generated.status, 202)
      const early = await otp('resend', { destination: phone })
      const elapsed = Date.now() - since
      if (early.status !== 202 || elapsed < COOLDOWN_SECONDS * 1000 || attempt === 3) return { phone, since, generated, early, elapsed }
    }
  }

  it('generates, refuses a resend within the window, resends the same code after it, and validates once', async () => {
    const { phone, since, generated, early, elapsed } = await generateAndResendAtOnce()
    assert.equal(generated.body.expiresIn, TTL_SECONDS)
    assert.equal(generated.body.resendAfter, COOLDOWN_SECONDS)
    assert.equal(early.status, 429, `answered ${elapsed} ms after the send`)
    assert.ok(inCooldown(early), JSON.stringify(early.body))
    const retryAfter = Number(early.headers.get('retry-after'))
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= COOLDOWN_SECONDS, `retry-after ${retryAfter}`)
    const code = await inbox.code(phone, 1)
    assert.equal((await afterWindow(since, () => otp('resend', { destination: phone }))).status, 202)
    assert.equal(await inbox.code(phone, 2), code)
    assert.equal((await otp('validate', { destination: phone, otp: code })).status, 200)
    assert.equal((await otp('validate', { destination: phone, otp: code })).status, 410)
  })

  it('regenerates: the old code stops working, the new one works', async () => {
    const phone = uniquePhone()
    const since = Date.now()
    await otp('generate', { destination: phone })
    const old = await inbox.code(phone, 1)
    assert.equal((await afterWindow(since, () => otp('regenerate', { destination: phone }))).status, 202)
    const fresh = await inbox.code(phone, 2)
    if (fresh !== old) assert.equal((await otp('validate', { destination: phone, otp: old })).body.code, 'otp_invalid')
    assert.equal((await otp('validate', { destination: phone, otp: fresh })).status, 200)
  })

  it('expires a code after its validity; resend then says to regenerate', async (t) => {
    const phone = uniquePhone()
    const since = Date.now()
    await otp('generate', { destination: phone })
    const code = await inbox.code(phone, 1)
    // Just before the earliest moment it can expire, the code is still live: a wrong guess is only wrong.
    let at = new Date(since + (TTL_SECONDS - 1) * 1000)
    t.mock.method(gw.platform.services.get('otp')!.ctx, 'now', () => at)
    assert.equal((await otp('validate', { destination: phone, otp: wrong(code) })).body.code, 'otp_invalid')
    at = new Date(Date.now() + (TTL_SECONDS + 1) * 1000)
    const late = await otp('validate', { destination: phone, otp: code })
    assert.equal(late.status, 410)
    assert.equal(late.body.code, 'otp_expired')
    assert.equal((await otp('resend', { destination: phone })).body.code, 'otp_expired')
  })

  it('limits sends per number over every purpose, and names an invalid number', async () => {
    const phone = uniquePhone()
    const answers = []
    // One purpose each: every purpose has a resend window of its own, the hourly limit is the number's.
    for (const purpose of ['verification', 'login', 'password_reset', 'mfa']) answers.push(await otp('generate', { destination: phone, purpose }))
    assert.deepEqual(answers.map(a => a.status), [202, 202, 202, 429])
    assert.match(answers[3]!.body.detail, /sent to this destination/)
    const invalid = await otp('generate', { destination: '+1 555 CALL NOW' })
    assert.equal(invalid.status, 400)
    assert.equal(invalid.body.errors[0].path, '/body/destination')
  })
})

describe('verification flows through the gateway', () => {
  const gw = usePlatform(ROOMY_LIMITS)
  const inbox = inboxReader(gw)

  it('verifies an email by the link in the welcome flow (the hosted page; the older server page still confirms)', async () => {
    const email = uniqueEmail('verify')
    const { body: user } = await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD })
    const [mail] = await waitFor(async () => { const m = await inbox.messages(email, /Confirm your email/); return m.length > 0 && m })
    const link = new URL(/https?:\/\/\S+/.exec(mail!.text)![0])
    const token = link.searchParams.get('token')!
    // The mail links to the console's confirm page, which spends nothing on a GET (a mail scanner's visit).
    assert.equal(link.pathname, '/auth/verify-email')
    const hosted = await fetch(`${gw.url}${link.pathname}${link.search}`)
    assert.equal(hosted.status, 200)
    assert.match(hosted.headers.get('content-type') ?? '', /^text\/html/)
    const before = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal((await gw.json('GET', '/api/v1/users/me', undefined, bearer(before.body.accessToken))).body.emailVerified, false)
    // Links sent before the console existed open the service's own page, whose button posts the form.
    const page = await fetch(`${gw.url}/api/v1/email-verification/verify?token=${encodeURIComponent(token)}`)
    assert.equal(page.status, 200)
    assert.match(await page.text(), /<form method="post"/)
    const confirmed = await fetch(`${gw.url}/api/v1/email-verification/verify/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString()
    })
    assert.equal(confirmed.status, 200)
    const login = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    const me = await gw.json('GET', '/api/v1/users/me', undefined, bearer(login.body.accessToken))
    assert.equal(me.body.id, user.id)
    assert.equal(me.body.emailVerified, true)
  })

  it('phone sign-up -> verify -> login with a code', async () => {
    const phone = uniquePhone()
    const signup = await gw.json('POST', '/api/v1/auth/phone/signup', { phone })
    assert.deepEqual([signup.status, signup.body], [202, { message: 'OTP will be sent soon' }])
    const verified = await gw.json('POST', '/api/v1/auth/phone/verify', { phone, otp: await inbox.code(phone, 1) })
    assert.equal(verified.status, 200)
    const me = await gw.json('GET', '/api/v1/users/me', undefined, bearer(verified.body.accessToken))
    assert.equal(me.body.phone, phone)
    assert.equal(me.body.phoneVerified, true)
    assert.equal((await gw.json('POST', '/api/v1/auth/phone/login/start', { phone })).status, 202)
    const login = await gw.json('POST', '/api/v1/auth/phone/login', { phone, otp: await inbox.code(phone, 2) })
    assert.equal(login.status, 200)
    assert.deepEqual((await gw.json('POST', '/api/v1/auth/phone/check', { phone })).body, { isValid: true })
  })

  it('resets a password with a code', async () => {
    const email = uniqueEmail('otp-reset')
    await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD })
    assert.equal((await gw.json('POST', '/api/v1/password/forgot', { email, method: 'otp' })).status, 202)
    const otp = await inbox.code(email, 1, /password reset code/)
    assert.equal((await gw.json('POST', '/api/v1/password/reset', { email, otp: wrong(otp), newPassword: 'staple gun kangaroo' })).body.code, 'otp_invalid')
    assert.equal((await gw.json('POST', '/api/v1/password/reset', { email, otp, newPassword: 'staple gun kangaroo' })).status, 204)
    assert.equal((await gw.json('POST', '/api/v1/auth/login', { email, password: 'staple gun kangaroo' })).status, 200)
  })

  it('two-step login with an SMS code, then with an authenticator app', async () => {
    const email = uniqueEmail('mfa')
    const phone = uniquePhone()
    await gw.json('POST', '/api/v1/users/register', { email, phone, password: PASSWORD })
    const session = (await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })).body
    const put = (body: object) => gw.json('PUT', '/api/v1/auth/mfa', body, bearer(session.accessToken))
    assert.equal((await put({ enabled: true, channel: 'sms' })).status, 200)
    const on = await put({ enabled: true, channel: 'sms', otp: await inbox.code(phone, 1) })
    assert.equal(on.body.enabled, true)

    const challenge = (await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })).body
    assert.equal(challenge.mfaRequired, true)
    const tokens = await gw.json('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: await inbox.code(phone, 2) })
    assert.equal(tokens.status, 200)
    assert.ok(tokens.body.accessToken)

    // Off with a recovery code, then on again with an authenticator app.
    assert.deepEqual((await put({ enabled: false, otp: on.body.recoveryCodes[0] })).body, { enabled: false })
    const totp = (await put({ enabled: true, channel: 'totp' })).body
    assert.equal((await put({ enabled: true, channel: 'totp', otp: await generate({ secret: totp.secret }) })).body.enabled, true)
    const second = (await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })).body
    assert.equal(second.channel, 'totp')
  })
})

describe('Connect RPC through the gateway', () => {
  const gw = usePlatform(ROOMY_LIMITS)
  const inbox = inboxReader(gw)

  it('signs up and verifies over the Connect protocol and gRPC-Web under /rpc, with the client IP passed on', async () => {
    const { createClient } = await import('@connectrpc/connect')
    const { createConnectTransport, createGrpcWebTransport } = await import('@connectrpc/connect-node')
    const { AuthService } = await import('@app/contracts/auth/v1')
    const connect = createClient(AuthService, createConnectTransport({ baseUrl: `${gw.url}/rpc`, httpVersion: '1.1' }))
    const phone = uniquePhone()
    assert.equal((await connect.signupWithPhoneNumber({ phoneNumber: phone })).message, 'OTP will be sent soon')
    const verified = await connect.verifyPhoneNumber({ phoneNumber: phone, otp: await inbox.code(phone, 1) })
    const profile = await connect.getProfile({}, { headers: { authorization: `Bearer ${verified.sessionToken}` } })
    assert.equal(profile.phoneNumber, phone)
    const grpcWeb = createClient(AuthService, createGrpcWebTransport({ baseUrl: `${gw.url}/rpc`, httpVersion: '1.1' }))
    assert.equal((await grpcWeb.validatePhoneNumberLogin({ phoneNumber: phone })).isValid, true)
  })
})

describe('the gateway limits code requests per client address', () => {
  const gw = usePlatform({ GATEWAY_RATE_LIMIT_PER_MINUTE: '20000', GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '5000', OTP_MAX_SENDS_PER_IP_HOUR: '3', GATEWAY_TRUSTED_PROXIES: 'loopback' })

  it('counts per forwarded client IP in the otp service (the gateway signs the address it resolved)', async () => {
    const send = (ip: string) => gw.json('POST', '/api/v1/otp/generate', { destination: uniquePhone() }, { 'x-forwarded-for': ip })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await send('203.0.113.7')).status)
    assert.deepEqual(statuses, [202, 202, 202, 429])
    assert.equal((await send('203.0.113.8')).status, 202)
    // A forged signed-address header from the client is dropped by the gateway.
    const forged = await gw.json('POST', '/api/v1/otp/generate', { destination: uniquePhone() }, { 'x-forwarded-for': '203.0.113.7', 'x-client-ip': '198.51.100.1', 'x-client-ip-signature': 'AAAA' })
    assert.equal(forged.status, 429)
  })
})
