import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { createLogger } from '@app/kit/log'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

/**
 * Every flow that handles a secret, through the gateway, with every log line
 * of every service captured (level trace); then each secret the test saw
 * (passwords, tokens, codes, links' tokens) is looked for in the log: none
 * may be there.
 */
const lines: string[] = []
const log = createLogger('trace', undefined, { write (chunk: string) { lines.push(chunk) } })

const ROOMY_LIMITS = { GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '5000', GATEWAY_RATE_LIMIT_PER_MINUTE: '20000', OTP_MAX_SENDS_PER_IP_HOUR: '5000', OTP_RESEND_COOLDOWN_SECONDS: '0' }
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const uniqueEmail = (tag: string) => `${tag}.${randomBytes(4).toString('hex')}@example.com`
/** A password nobody else uses, so finding it in the log can only mean it leaked. */
const uniquePassword = () => `pw ${randomBytes(9).toString('base64url')} horse`

describe('no log line holds a secret', () => {
  const gw = usePlatform(ROOMY_LIMITS, { log })
  const secrets = new Map<string, string>()
  const saw = (what: string, value: unknown) => {
    assert.equal(typeof value, 'string', `${what} is a string`)
    assert.ok((value as string).length >= 6, `${what} is long enough to look for`)
    secrets.set(value as string, what)
    return value as string
  }

  const messages = async (to: string, match: RegExp) => ((await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(to)}`)).body.items as Array<{ subject: string | null, text: string }>)
    .filter(m => match.test(`${m.subject ?? ''} ${m.text}`))
  /** The newest message to `to` matching `match` once there are `n` of them. */
  const message = async (to: string, match: RegExp, n = 1) =>
    (await waitFor(async () => { const all = await messages(to, match); return all.length >= n && all }, undefined, 25))[0]!.text
  const code = async (to: string, n: number) => saw(`code #${n} to ${to}`, /\b(\d{6})\b/.exec(await message(to, /\b\d{6}\b/, n))![1])
  const linkIn = (text: string) => new URL(/https?:\/\/\S+/.exec(text)![0])
  const tokens = (what: string, body: { accessToken?: string, refreshToken?: string }) => {
    saw(`${what} access token`, body.accessToken)
    if (body.refreshToken !== undefined) saw(`${what} refresh token`, body.refreshToken)
    return body as { accessToken: string, refreshToken: string }
  }

  it('registers, verifies by link (page and form), logs in, refreshes and logs out', async () => {
    const email = uniqueEmail('logs')
    const password = saw('password', uniquePassword())
    const wrongPassword = saw('a wrong password', uniquePassword())
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password })).status, 201)

    const link = linkIn(await message(email, /Confirm your email/))
    saw('verification link token', link.searchParams.get('token'))
    const page = await fetch(`${gw.url}${link.pathname}${link.search}`)
    assert.equal(page.status, 200)
    // Links mailed before the console opened the service's own page: still served.
    assert.equal((await fetch(`${gw.url}/api/v1/email-verification/verify${link.search}`)).status, 200)
    const form = await fetch(`${gw.url}/api/v1/email-verification/verify/form`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: link.searchParams.get('token')! }).toString()
    })
    assert.equal(form.status, 200)

    assert.equal((await gw.json('POST', '/api/v1/auth/login', { email, password: wrongPassword })).status, 401)
    const first = tokens('login', (await gw.json('POST', '/api/v1/auth/login', { email, password })).body)
    assert.equal((await gw.json('GET', '/api/v1/users/me', undefined, bearer(first.accessToken))).status, 200)
    const second = tokens('refresh', (await gw.json('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken })).body)
    assert.equal((await gw.json('POST', '/api/v1/auth/validate', { token: second.accessToken })).status, 200)
    assert.equal((await gw.json('POST', '/api/v1/auth/logout', { refreshToken: second.refreshToken })).status, 204)
    // A forged bearer token and a made-up link token are credentials too.
    assert.equal((await gw.json('GET', '/api/v1/users/me', undefined, bearer(saw('forged token', `${randomBytes(24).toString('base64url')}.x.y`)))).status, 401)
    assert.equal((await fetch(`${gw.url}/api/v1/password/reset?token=${saw('made-up link token', randomBytes(32).toString('base64url'))}`)).status, 400)
  })

  it('resets a password by link (page, then reset) and by code', async () => {
    const email = uniqueEmail('logs-reset')
    const password = saw('password', uniquePassword())
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password })).status, 201)
    assert.equal((await gw.json('POST', '/api/v1/password/forgot', { email })).status, 202)
    const link = linkIn(await message(email, /reset/i))
    const token = saw('reset link token', link.searchParams.get('token'))
    const page = await fetch(`${gw.url}${link.pathname}${link.search}`)
    assert.equal(page.status, 200)
    const newPassword = saw('new password', uniquePassword())
    assert.equal((await gw.json('POST', '/api/v1/password/reset', { token, newPassword })).status, 204)

    assert.equal((await gw.json('POST', '/api/v1/password/forgot', { email, method: 'otp' })).status, 202)
    const otp = await code(email, 1)
    const third = saw('newer password', uniquePassword())
    assert.equal((await gw.json('POST', '/api/v1/password/reset', { email, otp, newPassword: third })).status, 204)
    tokens('login after reset', (await gw.json('POST', '/api/v1/auth/login', { email, password: third })).body)
  })

  it('generates and validates a public code', async () => {
    const phone = uniquePhone()
    assert.equal((await gw.json('POST', '/api/v1/otp/generate', { destination: phone })).status, 202)
    const otp = await code(phone, 1)
    assert.equal((await gw.json('POST', '/api/v1/otp/validate', { destination: phone, otp })).status, 200)
  })

  it('signs up, verifies and logs in by phone', async () => {
    const phone = uniquePhone()
    assert.equal((await gw.json('POST', '/api/v1/auth/phone/signup', { phone })).status, 202)
    const verified = await gw.json('POST', '/api/v1/auth/phone/verify', { phone, otp: await code(phone, 1) })
    assert.equal(verified.status, 200, JSON.stringify(verified.body))
    tokens('phone verify', verified.body)
    assert.equal((await gw.json('POST', '/api/v1/auth/phone/login/start', { phone })).status, 202)
    const login = await gw.json('POST', '/api/v1/auth/phone/login', { phone, otp: await code(phone, 2) })
    assert.equal(login.status, 200, JSON.stringify(login.body))
    tokens('phone login', login.body)
  })

  it('turns on two-step login by SMS and logs in with it', async () => {
    const email = uniqueEmail('logs-mfa')
    const phone = uniquePhone()
    const password = saw('password', uniquePassword())
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, phone, password })).status, 201)
    const session = tokens('login', (await gw.json('POST', '/api/v1/auth/login', { email, password })).body)
    const put = (body: object) => gw.json('PUT', '/api/v1/auth/mfa', body, bearer(session.accessToken))
    assert.equal((await put({ enabled: true, channel: 'sms' })).status, 200)
    const on = await put({ enabled: true, channel: 'sms', otp: await code(phone, 1) })
    assert.equal(on.status, 200, JSON.stringify(on.body))
    for (const [i, recovery] of (on.body.recoveryCodes as string[]).entries()) saw(`recovery code ${i}`, recovery)
    const challenge = (await gw.json('POST', '/api/v1/auth/login', { email, password })).body
    assert.equal(challenge.mfaRequired, true)
    const verified = await gw.json('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: await code(phone, 2) })
    assert.equal(verified.status, 200, JSON.stringify(verified.body))
    tokens('two-step login', verified.body)
  })

  it('finds none of them in any log line', async () => {
    // A last request with its own id: once its access line is written, so are the earlier ones.
    const requestId = `logs-${randomUUID()}`
    await gw.json('GET', '/api/v1/users/me', undefined, { 'x-request-id': requestId })
    await waitFor(() => lines.some(line => line.includes(requestId) && line.includes('"msg":"request"')))

    assert.ok(secrets.size >= 25, `${secrets.size} secrets seen`)
    const leaks: string[] = []
    for (const [secret, what] of secrets) {
      // A code is looked for as a whole number, not inside longer digit runs (ids, timestamps).
      const pattern = /^\d+$/.test(secret) ? new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`) : undefined
      const line = lines.find(l => pattern ? pattern.test(l) : l.includes(secret))
      if (line) leaks.push(`${what}: ${line.trim().slice(0, 400)}`)
    }
    assert.deepEqual(leaks, [], `${leaks.length} secrets found in ${lines.length} log lines`)
    // The pages the links open were logged by path: the console's at the gateway, the services' there and in the service.
    const loggedBy = (url: string) => lines.filter(l => l.includes(`"url":"${url}"`)).map(l => (JSON.parse(l) as { service: string }).service)
    for (const url of ['/auth/reset?token=[redacted]', '/auth/verify-email?token=[redacted]']) {
      assert.ok(loggedBy(url).includes('gateway'), `${url} logged by ${loggedBy(url).join(', ')}`)
    }
    for (const url of ['/api/v1/password/reset?token=[redacted]', '/api/v1/email-verification/verify?token=[redacted]']) {
      const logged = loggedBy(url)
      assert.ok(logged.includes('gateway') && logged.length >= 2, `${url} logged by ${logged.join(', ')}`)
    }
  })
})
