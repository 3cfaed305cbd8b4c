import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { uniquePhone, waitFor } from '@app/kit/testing'
import type { CloudEvent } from '@app/kit/bus'
import { useOtp } from './helper.ts'

const HOUR_MS = 3_600_000
let ipCounter = 0
const freshIp = () => `10.77.${Math.floor(ipCounter / 250) % 250}.${(ipCounter++ % 250) + 1}`

/** `count` valid numbers that differ only in their last three digits. */
function numberBlock (count: number): { prefix: string, numbers: string[] } {
  const prefix = uniquePhone().slice(0, -3)
  return { prefix, numbers: Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`) }
}

type Abuse = { reason: string, mode: string, country?: string, prefix?: string, destinationHash?: string }
const abuseEvents = (events: CloudEvent[], match: (data: Abuse) => boolean) =>
  events.filter(e => e.type === 'otp.abuse_suspected' && match(e.data as Abuse))

describe('otp abuse defences, enforcing (the default)', () => {
  const t = useOtp({ OTP_FRAUD_PREFIX_MAX_SENDS: '10', OTP_FRAUD_IP_MAX_DESTINATIONS: '3', OTP_FRAUD_CONVERSION_MIN_SENDS: '100000' })
  const generateFrom = (ip: string, destination: string) =>
    t.otp.app.inject({ method: 'POST', url: '/api/v1/otp/generate', payload: { destination }, remoteAddress: ip })

  it('refuses a burst to 30 numbers sharing a prefix after 10, with 429 and Retry-After, and sends them nothing', async () => {
    const { prefix, numbers } = numberBlock(30)
    const answers = []
    for (const number of numbers) answers.push(await generateFrom(freshIp(), number))
    assert.deepEqual(answers.map(a => a.statusCode), [...Array(10).fill(202), ...Array(20).fill(429)])
    for (const refused of answers.slice(10)) {
      assert.equal(refused.json().code, 'rate_limited')
      const retryAfter = Number(refused.headers['retry-after'])
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600, String(retryAfter))
    }
    // The other send paths are screened as well: a resend, and a service's send.
    assert.equal((await t.post('resend', { destination: numbers[0]! })).statusCode, 429)
    assert.equal((await t.internal('send', { destination: numbers[29]!, purpose: 'login', flow: 'phone_login' })).statusCode, 429)

    assert.equal(await t.deliveries(numbers.slice(10)), 0, 'no delivery was requested for a refused number')
    assert.equal(await t.deliveries(numbers.slice(0, 10)), 10)
    const control = uniquePhone()
    await t.generate(control)
    for (const number of numbers.slice(10)) assert.deepEqual(await t.messages(number), [], number)

    const reported = await waitFor(() => abuseEvents(t.events, d => d.prefix === prefix).length > 0 && abuseEvents(t.events, d => d.prefix === prefix))
    assert.deepEqual({ ...reported[0]!.data as Abuse, destinationHash: undefined }, { reason: 'prefix_velocity', mode: 'enforce', country: 'US', prefix, destinationHash: undefined })
    assert.ok(!numbers.some(n => JSON.stringify(reported).includes(n)), 'the report never names a full number')
  })

  it('lets the block through again once the window has passed', async (ctx) => {
    const { numbers } = numberBlock(12)
    for (const number of numbers.slice(0, 11)) await generateFrom(freshIp(), number)
    assert.equal((await generateFrom(freshIp(), numbers[11]!)).statusCode, 429)
    const later = new Date(Date.now() + HOUR_MS + 1000)
    ctx.mock.method(t.otp.ctx, 'now', () => later)
    assert.equal((await generateFrom(freshIp(), numbers[11]!)).statusCode, 202)
  })

  it('limits the distinct numbers one client IP has codes sent to, not its retries to one number', async () => {
    const ip = freshIp()
    const numbers = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()]
    for (const number of numbers.slice(0, 3)) assert.equal((await generateFrom(ip, number)).statusCode, 202)
    const fourth = await generateFrom(ip, numbers[3]!)
    assert.equal(fourth.statusCode, 429)
    assert.equal(fourth.json().code, 'rate_limited')
    assert.equal((await generateFrom(ip, numbers[0]!)).statusCode, 202, 'the same number again')
    assert.equal((await generateFrom(ip, `otp.${ipCounter}@example.com`)).statusCode, 202, 'an email is not an SMS')
    assert.equal((await generateFrom(freshIp(), numbers[3]!)).statusCode, 202, 'another client')
    assert.equal(await t.deliveries([numbers[3]!]), 1)
  })
})

describe('otp abuse defences: the country allow-list', () => {
  const t = useOtp({ OTP_SMS_ALLOWED_COUNTRIES: 'us, CA' })

  it('sends SMS only to the allowed countries; email is not affected', async () => {
    const germany = '+4915123456789'
    const refused = await t.post('generate', { destination: germany })
    assert.equal(refused.statusCode, 429)
    assert.equal(refused.json().code, 'rate_limited')
    assert.ok(Number(refused.headers['retry-after']) >= 1)
    assert.equal((await t.post('generate', { destination: '+80012345678' })).statusCode, 429, 'a number no country owns')
    assert.equal((await t.internal('send', { destination: germany, purpose: 'password_reset', flow: 'password_reset' })).statusCode, 429)
    await t.generate(uniquePhone())
    await t.generate(`otp.allow.${ipCounter++}@example.de`)
    assert.equal(await t.deliveries([germany, '+80012345678']), 0)
    await waitFor(() => abuseEvents(t.events, d => d.reason === 'country_not_allowed' && d.country === 'DE').length === 1)
  })
})

describe('otp abuse defences, recording only', () => {
  const t = useOtp({ OTP_FRAUD_GUARD_MODE: 'record', OTP_FRAUD_PREFIX_MAX_SENDS: '10', OTP_SMS_ALLOWED_COUNTRIES: 'US' })

  it('sends the whole burst and reports each suspicious send as otp.abuse_suspected, never with the number', async () => {
    const { prefix, numbers } = numberBlock(30)
    for (const number of numbers) assert.equal((await t.otp.app.inject({ method: 'POST', url: '/api/v1/otp/generate', payload: { destination: number }, remoteAddress: freshIp() })).statusCode, 202)
    assert.equal(await t.deliveries(numbers), 30)
    const reported = await waitFor(() => abuseEvents(t.events, d => d.prefix === prefix).length >= 20 && abuseEvents(t.events, d => d.prefix === prefix))
    assert.equal(reported.length, 20)
    for (const event of reported) {
      assert.equal((event.data as Abuse).reason, 'prefix_velocity')
      assert.equal((event.data as Abuse).mode, 'record')
      assert.match((event.data as Abuse).destinationHash!, /^[A-Za-z0-9_-]{22}$/)
    }
    assert.equal(new Set(reported.map(e => (e.data as Abuse).destinationHash)).size, 20, 'one hash per number')
    assert.ok(!numbers.some(n => JSON.stringify(reported).includes(n)))
  })

  it('sends to a country outside the list and reports it', async () => {
    const germany = '+4915123456788'
    assert.equal((await t.post('generate', { destination: germany })).statusCode, 202)
    assert.equal(await t.deliveries([germany]), 1)
    await waitFor(() => abuseEvents(t.events, d => d.reason === 'country_not_allowed' && d.country === 'DE' && d.mode === 'record').length === 1)
  })
})

describe('otp abuse defences: the conversion guard', () => {
  const t = useOtp({ OTP_FRAUD_CONVERSION_MIN_SENDS: '6', OTP_FRAUD_CONVERSION_MIN_PERCENT: '50' })
  // Each test runs in windows of its own (the guard reads the injected clock), so their counts never mix.
  const at = (days: number) => new Date(Date.now() + days * 24 * HOUR_MS)

  it('refuses sends to a prefix and country whose codes are sent but not typed in, once there is enough volume', async (ctx) => {
    ctx.mock.method(t.otp.ctx, 'now', () => at(10))
    const { prefix, numbers } = numberBlock(8)
    for (const number of numbers.slice(0, 6)) assert.equal((await t.post('generate', { destination: number })).statusCode, 202)
    const refused = await t.post('generate', { destination: numbers[6]! })
    assert.equal(refused.statusCode, 429)
    assert.equal(refused.json().code, 'rate_limited')
    assert.equal(await t.deliveries([numbers[6]!]), 0)
    assert.equal((await t.post('generate', { destination: '+4915123456787' })).statusCode, 202, 'another country and prefix')
    await waitFor(() => abuseEvents(t.events, d => d.reason === 'conversion_collapse').length > 0)
    const event = abuseEvents(t.events, d => d.reason === 'conversion_collapse')[0]!.data as Abuse
    assert.equal(event.country, 'US')
    assert.ok(event.prefix === undefined || event.prefix === prefix)

    ctx.mock.method(t.otp.ctx, 'now', () => at(10.1))
    assert.equal((await t.post('generate', { destination: numbers[7]! })).statusCode, 202, 'two windows later the judgement starts afresh')
  })

  it('keeps sending while enough of the codes are validated', async (ctx) => {
    ctx.mock.method(t.otp.ctx, 'now', () => at(20))
    const { numbers } = numberBlock(8)
    for (const [i, number] of numbers.slice(0, 6).entries()) {
      const code = await t.generate(number)
      if (i % 2 === 0) assert.equal((await t.post('validate', { destination: number, otp: code })).statusCode, 200)
    }
    assert.equal((await t.post('generate', { destination: numbers[6]! })).statusCode, 202)
  })
})
