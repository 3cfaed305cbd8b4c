import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Registry } from 'prom-client'
import type { Counter } from 'prom-client'
import { AppError } from '@app/kit/errors'
import { measuredOtp } from '../src/otp-metrics.ts'
import type { OtpService, SendRequest, ValidateRequest } from '../src/otp-service.ts'

async function series (registry: Registry, name: string): Promise<Array<{ labels: Record<string, unknown>, value: number }>> {
  const metric = (await registry.getMetricsAsJSON()).find(m => m.name === name)!
  return metric.values as Array<{ labels: Record<string, unknown>, value: number }>
}

describe('the otp send and validation counters', () => {
  it('count by channel, purpose and outcome with children bound once per label set', async (t) => {
    const registry = new Registry()
    let refuse = false
    const answer = async () => { if (refuse) throw new AppError('rate_limited', 429, 'Too many'); return {} as never }
    const service = { generate: answer, regenerate: answer, resend: answer, validate: answer } as unknown as OtpService
    const otp = measuredOtp(service, registry)
    const send = { destination: 'a@example.com', flow: 'login' } as unknown as SendRequest
    const validate = { destination: '+33600000000', purpose: 'verification', flow: 'login', otp: '123456' } as unknown as ValidateRequest
    await otp.generate(send)
    await otp.validate(validate)
    refuse = true
    await assert.rejects(otp.generate(send))
    refuse = false

    // From here on the label sets are known: no label object is hashed on the request path.
    const sends = registry.getSingleMetric('gatehouse_otp_sends_total') as Counter
    const validations = registry.getSingleMetric('gatehouse_otp_validations_total') as Counter
    const hashed = [t.mock.method(sends, 'inc'), t.mock.method(sends, 'labels'), t.mock.method(validations, 'inc'), t.mock.method(validations, 'labels')]
    for (let i = 0; i < 3; i++) {
      await otp.generate(send)
      await otp.validate(validate)
    }
    refuse = true
    await assert.rejects(otp.generate(send))
    assert.deepEqual(hashed.map(m => m.mock.callCount()), [0, 0, 0, 0])

    const sent = await series(registry, 'gatehouse_otp_sends_total')
    assert.deepEqual(sent.map(s => [s.labels, s.value]), [
      [{ operation: 'generate', channel: 'email', purpose: 'verification', outcome: 'sent' }, 4],
      [{ operation: 'generate', channel: 'email', purpose: 'verification', outcome: 'rate_limited' }, 2]
    ])
    const validated = await series(registry, 'gatehouse_otp_validations_total')
    assert.deepEqual(validated.map(s => [s.labels, s.value]), [[{ channel: 'sms', purpose: 'verification', outcome: 'valid' }, 4]])
  })
})
