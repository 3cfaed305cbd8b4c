import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { retryDelayMs } from '../src/deliveries/retry-policy.ts'
import { classifySmtpError } from '../src/providers/smtp.ts'
import { classifyTwilioResponse, retryAfterMs } from '../src/providers/twilio.ts'

const smtpError = (fields: object) => Object.assign(new Error('failed'), fields)
const twilio = (status: number, body: object, headers: Record<string, string> = {}) =>
  classifyTwilioResponse(new Response(JSON.stringify(body), { status, headers }))

describe('classifying provider failures', () => {
  it('SMTP: a 5xx reply is permanent (but 503 and refused credentials are not); 4xx and connection failures are retried', () => {
    assert.equal(classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 unknown user' })).ok, false)
    const retryable = (fields: object) => (classifySmtpError(smtpError(fields)) as { retryable: boolean }).retryable
    assert.equal(retryable({ code: 'EENVELOPE', responseCode: 550 }), false)
    assert.equal(retryable({ code: 'EMESSAGE', responseCode: 554, permanent: true }), false)
    assert.equal(retryable({ code: 'EENVELOPE', responseCode: 452 }), true)
    assert.equal(retryable({ code: 'EPROTOCOL', responseCode: 503 }), true)
    assert.equal(retryable({ code: 'EAUTH', responseCode: 535 }), true)
    assert.equal(retryable({ code: 'ETIMEDOUT' }), true)
    assert.equal(retryable({ code: 'ESOCKET' }), true)
    assert.equal(retryable({ code: 'EENVELOPE' }), false)
  })

  it('Twilio: 429 (with its Retry-After), 5xx and 401 are retried; another 4xx is permanent', async () => {
    assert.deepEqual(await twilio(429, { code: 20429, message: 'Too Many Requests' }, { 'retry-after': '7' }),
      { ok: false, retryable: true, error: 'twilio 429 20429: Too Many Requests', retryAfterMs: 7000 })
    assert.equal((await twilio(500, {}) as { retryable: boolean }).retryable, true)
    assert.equal((await twilio(401, { code: 20003 }) as { retryable: boolean }).retryable, true)
    assert.deepEqual(await twilio(400, { code: 21211, message: 'The \'To\' number 123 is not a valid phone number.' }),
      { ok: false, retryable: false, error: 'twilio 400 21211: The \'To\' number 123 is not a valid phone number.' })
    assert.equal((await twilio(403, { code: 21408 }) as { retryable: boolean }).retryable, false)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(retryAfterMs('120'), 120_000)
    assert.equal(retryAfterMs(new Date(1_000_000 + 30_000).toUTCString(), 1_000_000), 30_000)
    assert.equal(retryAfterMs('soon'), undefined)
    assert.equal(retryAfterMs(null), undefined)
  })
})

describe('the retry delay', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 }
  it('doubles after each failure, between half and all of it (jitter), up to the maximum', () => {
    assert.deepEqual([1, 2, 3, 4].map(a => retryDelayMs(a, policy, undefined, () => 0)), [500, 1000, 2000, 4000])
    assert.deepEqual([1, 2, 3, 4].map(a => retryDelayMs(a, policy, undefined, () => 1)), [1000, 2000, 4000, 8000])
    assert.equal(retryDelayMs(20, policy, undefined, () => 1), 60_000)
  })

  it('waits at least as long as the provider asked', () => {
    assert.equal(retryDelayMs(1, policy, 30_000, () => 0), 30_000)
    assert.equal(retryDelayMs(1, policy, 10, () => 0), 500)
  })
})
