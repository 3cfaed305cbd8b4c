import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { CloudEvent } from '@app/kit/bus'
import { openTestBackends, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { startAuthBehindProxy } from './auth-behind-proxy.ts'
import type { AuthBehindProxy } from './auth-behind-proxy.ts'
import { PASSWORD, uniqueEmail, withoutRequestId } from './helper.ts'

const HOUR_MS = 3_600_000
const FREE = 5
const CEILING = 20
const MAX_DELAY = 60
const WRONG = 'wrong horse battery'

let addresses = 0
/** An address no other client of this file used. */
const freshIp = () => { addresses++; return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}` }

interface Attempt {
  ip: string
  cookie?: string
  deviceToken?: string
  headers?: Record<string, string>
}

describe('login throttling that strangers cannot turn against the owner', () => {
  const s = {} as AuthBehindProxy & {
    backends: TestBackends
    events: CloudEvent[]
  }
  // The service's clock: tests travel instead of waiting. Mid-hour, so the hourly ceiling's hour does not end by itself.
  let clock = 0
  const travel = (seconds: number) => { clock += seconds * 1000 }

  before(async () => {
    s.backends = await openTestBackends()
    Object.assign(s, await startAuthBehindProxy(s.backends, {
      AUTH_MAX_FAILED_LOGINS: String(FREE),
      AUTH_UNKNOWN_CLIENT_LOGINS_PER_HOUR: String(CEILING),
      AUTH_FAILED_LOGIN_MAX_DELAY_SECONDS: String(MAX_DELAY)
    }))
    s.auth.ctx.now = () => new Date(clock)
    s.events = []
    await s.backends.bus.bus.subscribe({ group: `throttle-test-${randomBytes(4).toString('hex')}`, bindings: ['auth.login_succeeded'] }, async (event) => {
      s.events.push(event)
    })
  })
  after(async () => {
    await s.cleanup?.()
    await s.backends?.cleanup()
  })
  beforeEach(() => { clock = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS + 10 * 60_000 })

  async function register (email = uniqueEmail()): Promise<{ id: string, email: string }> {
    const res = await s.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })
    assert.equal(res.statusCode, 201, res.body)
    return { id: res.json().id, email }
  }

  function attempt (email: string, password: string, from: Attempt) {
    const headers: Record<string, string> = { ...from.headers }
    if (from.cookie) headers.cookie = `theme=dark; gh_device=${from.cookie}`
    if (from.deviceToken) headers['x-device-token'] = from.deviceToken
    return s.auth.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: from.ip, headers })
  }

  /** Logs in with the right password; answers the device token handed out. */
  async function ownerLogin (email: string, from: Attempt): Promise<string> {
    const res = await attempt(email, PASSWORD, from)
    assert.equal(res.statusCode, 200, res.body)
    const token = res.headers['x-device-token']
    assert.equal(typeof token, 'string')
    return token as string
  }

  /** `times` wrong passwords from one client; answers the statuses and how many the user service was asked to check. */
  async function guess (email: string, times: number, from: Attempt) {
    const before = s.proxy.checks
    const statuses: number[] = []
    for (let i = 0; i < times; i++) statuses.push((await attempt(email, `${WRONG} ${i}`, from)).statusCode)
    return { statuses, checked: s.proxy.checks - before }
  }

  it('an attacker IP makes 50 wrong tries: 5 are checked, and the owner logs in at once from its usual IP, or with its device token from a fresh IP', async () => {
    const { email } = await register()
    const ownerIp = freshIp()
    const token = await ownerLogin(email, { ip: ownerIp })

    const attacker = await guess(email, 50, { ip: freshIp() })
    assert.equal(attacker.checked, FREE)
    assert.deepEqual(attacker.statuses, [...Array<number>(FREE).fill(401), ...Array<number>(50 - FREE).fill(429)])

    await ownerLogin(email, { ip: ownerIp })
    await ownerLogin(email, { ip: freshIp(), cookie: token })
    await ownerLogin(email, { ip: freshIp(), deviceToken: token })
  })

  it('after the free failures each further failure of a client doubles its wait, up to the maximum', async () => {
    const { email } = await register()
    const attacker = { ip: freshIp() }
    assert.deepEqual((await guess(email, FREE, attacker)).statuses, Array<number>(FREE).fill(401))
    const waits: number[] = []
    const before = s.proxy.checks
    for (let i = 0; i < 8; i++) {
      const refused = await attempt(email, WRONG, attacker)
      assert.equal(refused.statusCode, 429)
      assert.equal(refused.json().code, 'rate_limited')
      const wait = Number(refused.headers['retry-after'])
      assert.equal(refused.headers['ratelimit-limit'], String(FREE))
      assert.equal(refused.headers['ratelimit-remaining'], '0')
      assert.equal(refused.headers['ratelimit-reset'], String(wait))
      waits.push(wait)
      // A second short of the wait is still too early; at the end of it one more guess is checked.
      if (wait > 1) {
        travel(wait - 1)
        assert.equal((await attempt(email, WRONG, attacker)).statusCode, 429)
        travel(1)
      } else {
        travel(wait)
      }
      assert.equal((await attempt(email, WRONG, attacker)).statusCode, 401)
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, MAX_DELAY, MAX_DELAY])
    assert.equal(s.proxy.checks - before, 8, 'only the guesses after each wait were checked')
  })

  it('strangers together get at most the hourly ceiling of guesses; known clients are not held back by it', async () => {
    const { email } = await register()
    const ownerIp = freshIp()
    const token = await ownerLogin(email, { ip: ownerIp })

    let checked = 0
    for (let i = 0; i < 10; i++) checked += (await guess(email, 3, { ip: freshIp() })).checked
    // The owner's first login came from a client unknown then: it spent one of the hour's checks.
    assert.equal(checked, CEILING - 1)
    const stranger = await attempt(email, PASSWORD, { ip: freshIp() })
    assert.equal(stranger.statusCode, 429, 'even the right password from an unknown client waits for the next hour')
    assert.equal(stranger.headers['ratelimit-limit'], String(CEILING))
    assert.equal(Number(stranger.headers['retry-after']), 50 * 60)

    await ownerLogin(email, { ip: ownerIp })
    await ownerLogin(email, { ip: freshIp(), cookie: token })

    travel(50 * 60)
    assert.equal((await attempt(email, PASSWORD, { ip: freshIp() })).statusCode, 200, 'a new hour, a new allowance')
  })

  it('a stolen device token alone is still limited, and does not lock the owner out', async () => {
    const { email } = await register()
    const ownerIp = freshIp()
    const token = await ownerLogin(email, { ip: ownerIp })

    const thief = { ip: freshIp(), cookie: token }
    const stolen = await guess(email, 50, thief)
    assert.equal(stolen.checked, FREE)
    assert.deepEqual(stolen.statuses, [...Array<number>(FREE).fill(401), ...Array<number>(50 - FREE).fill(429)])
    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      const refused = await attempt(email, WRONG, thief)
      assert.equal(refused.statusCode, 429)
      waits.push(Number(refused.headers['retry-after']))
      travel(waits[i]!)
      assert.equal((await attempt(email, WRONG, thief)).statusCode, 401)
    }
    assert.deepEqual(waits, [1, 2, 4, 8], 'the thief waits longer each time')

    // The owner's browser sends the same cookie, from the network it logged in from.
    await ownerLogin(email, { ip: ownerIp, cookie: token })
  })

  it('a throttled login answers the same for an existing and an unknown account', async () => {
    const existing = (await register()).email
    const unknown = uniqueEmail('nobody')
    const start = clock
    async function run (email: string) {
      clock = start
      const answers: unknown[] = []
      for (let client = 0; client < 5; client++) {
        const ip = `192.0.2.${client + 1}`
        for (let i = 0; i < 6; i++) {
          const res = await attempt(email, WRONG, { ip })
          answers.push({
            status: res.statusCode,
            body: withoutRequestId(res.json()),
            headers: ['retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'content-type'].map(h => res.headers[h])
          })
        }
      }
      return answers
    }
    const forExisting = await run(existing)
    const forUnknown = await run(unknown)
    assert.deepEqual(forExisting, forUnknown)
    const statuses = forExisting.map(a => (a as { status: number }).status)
    assert.equal(statuses.filter(st => st === 401).length, CEILING)
    assert.ok(statuses.includes(429))
  })

  it('hands out a signed device token as an HttpOnly SameSite=Lax cookie and a header; a forged one is a new device', async () => {
    const { id, email } = await register()
    const ownerIp = freshIp()
    const first = await attempt(email, PASSWORD, { ip: ownerIp })
    assert.equal(first.statusCode, 200)
    const token = first.headers['x-device-token'] as string
    const cookie = String(first.headers['set-cookie'])
    assert.match(cookie, new RegExp(`^gh_device=${token.replace(/[.-]/g, '\\$&')}; Path=/api/v1/auth; Max-Age=\\d+; HttpOnly; SameSite=Lax$`))
    assert.equal(first.headers['cache-control'], 'no-store')
    const overTls = await attempt(email, PASSWORD, { ip: ownerIp, cookie: token, headers: { 'x-forwarded-proto': 'https' } })
    assert.match(String(overTls.headers['set-cookie']), /; Secure$/)
    assert.equal(overTls.headers['x-device-token'], token, 'the same device keeps its token')

    const [kid, deviceId, mac] = token.split('.') as [string, string, string]
    const forged = `${kid}.${deviceId.slice(0, -1)}${deviceId.endsWith('A') ? 'B' : 'A'}.${mac}`
    await ownerLogin(email, { ip: freshIp(), deviceToken: forged })
    await ownerLogin(email, { ip: freshIp(), deviceToken: token })

    const logins = await waitFor(() => {
      const mine = s.events.filter(e => e.subject === id)
      return mine.length === 4 ? mine : undefined
    })
    assert.deepEqual(logins.map(e => (e.data as { newDevice?: boolean }).newDevice).sort(), [false, false, true, true])
    assert.ok(logins.every(e => typeof (e.data as { ip?: string }).ip === 'string'))
  })

  it('counts spellings of one email as one identifier', async () => {
    const { email } = await register(`Ann.${randomBytes(4).toString('hex')}@Example.com`)
    const ip = freshIp()
    const spellings = [email, email.toUpperCase(), email.toLowerCase(), ` ${email} `, email.replace('@', '\uFF20')]
    for (const spelling of spellings) assert.equal((await attempt(spelling, WRONG, { ip })).statusCode, 401)
    assert.equal((await attempt(email.toLowerCase(), PASSWORD, { ip })).statusCode, 429)
  })

  it('counts spellings of one phone number as one identifier, as the user service finds the account (E.164 after libphonenumber)', async () => {
    const ip = freshIp()
    const phoneAttempt = (phone: string) => s.auth.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password: WRONG }, remoteAddress: ip })
    // `+114155550142` (a national prefix after the country code) is the account of `+14155550142`.
    const spellings = ['+14155550142', '+1 415 555 0142', '+114155550142', '+1 1 (415) 555-0142', '+1-415-555-0142']
    for (const spelling of spellings) assert.equal((await phoneAttempt(spelling)).statusCode, 401, spelling)
    assert.equal((await phoneAttempt('+114155550142')).statusCode, 429, 'the sixth failure of one client for one number waits')
  })

  it('believes only the client address the gateway signed, not one a direct caller claims', async () => {
    const { email } = await register()
    const ownerIp = freshIp()
    await ownerLogin(email, { ip: ownerIp })
    const attacker = { ip: freshIp(), headers: { 'x-client-ip': ownerIp, 'x-forwarded-for': ownerIp } }
    const { checked } = await guess(email, 20, attacker)
    assert.equal(checked, FREE)
    await ownerLogin(email, { ip: ownerIp })
  })
})
