import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent, wasProcessed } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { OTP_REQUEST_ROUTING_KEY, OTP_REQUESTED, VERIFICATION_EXCHANGE } from '@app/contracts/verification'
import type { OtpRequest } from '@app/contracts/verification'
import { uniquePhone, useOtp } from './helper.ts'

const CONSUMER = 'otp.requests'

describe('otp: code requests handled together share their writes', () => {
  // Many codes to numbers nobody validates: the conversion defence would refuse them.
  const o = useOtp({ OTP_FRAUD_CONVERSION_MIN_SENDS: '1000000' })
  const db = () => o.otp.ctx.db
  const request = (destination: string) => createEvent('/services/auth', OTP_REQUESTED, {
    requestId: randomUUID(), destination, purpose: 'verification', flow: 'phone_signup', userId: null
  } satisfies OtpRequest)
  const publish = (event: ReturnType<typeof request>) =>
    o.otp.backends.bus.bus.publish(event, { exchange: VERIFICATION_EXCHANGE, routingKey: OTP_REQUEST_ROUTING_KEY })
  /** Transactions that wrote these rows: rows written by one statement or transaction share their xmin. */
  async function transactions (sql: string, params: unknown[]): Promise<number> {
    const { rows } = await db().query<{ n: number }>(`select count(distinct xmin::text)::int as n from (${sql}) as written`, params)
    return rows[0]!.n
  }

  it('stores the codes of requests that arrive together in a few statements, each once, with its answer', async () => {
    const phones = Array.from({ length: 30 }, () => uniquePhone())
    const events = phones.map(request)
    await Promise.all(events.map(publish))
    await waitFor(async () => (await Promise.all(events.map(e => wasProcessed(db(), CONSUMER, e.id)))).every(Boolean))
    const codes = 'select xmin from otp_codes where destination = any($1::text[]) and state = \'active\''
    const { rows } = await db().query<{ n: number }>('select count(*)::int as n from otp_codes where destination = any($1::text[]) and state = \'active\'', [phones])
    assert.equal(rows[0]!.n, 30)
    // One statement per code before; a lone first request, then what arrived meanwhile.
    assert.ok(await transactions(codes, [phones]) <= 6, 'codes written in batches')
    assert.ok(await transactions('select xmin from processed_events where consumer = $1 and event_id = any($2::text[])', [CONSUMER, events.map(e => e.id)]) <= 6)
    const answers = await db().query<{ n: number }>(
      'select count(*)::int as n from outbox where type = \'otp.request_completed\' and event->\'data\'->>\'destination\' = any($1::text[])', [phones])
    assert.equal(answers.rows[0]!.n, 30)
    assert.equal(await o.deliveries(phones), 30)

    // A redelivered request sends no second code.
    await publish(events[0]!)
    const again = request(phones[1]!)
    await publish(again)
    await waitFor(() => wasProcessed(db(), CONSUMER, again.id))
    assert.equal(await o.deliveries([phones[0]!]), 1)
    assert.equal(await o.deliveries([phones[1]!]), 2)
  })

  it('lets the later of two codes for one destination issued together replace the earlier', async () => {
    const phone = uniquePhone()
    const answers = await Promise.all([1, 2, 3].map(() => o.post('generate', { destination: phone })))
    assert.deepEqual(answers.map(a => a.statusCode), [202, 202, 202])
    const { rows } = await db().query<{ state: string }>('select state from otp_codes where destination = $1 order by state', [phone])
    assert.deepEqual(rows.map(r => r.state), ['active', 'replaced', 'replaced'])
    const codes = await waitFor(async () => {
      const all = await o.messages(phone)
      return all.length >= 3 && all.map(m => /\b(\d{6})\b/.exec(m.text)![1]!)
    })
    // Only the live code validates.
    const results = []
    for (const candidate of new Set(codes)) results.push((await o.post('validate', { destination: phone, otp: candidate })).statusCode)
    assert.equal(results.filter(s => s === 200).length, 1)
  })
})
