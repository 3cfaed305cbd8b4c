import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent, wasProcessed } from '@app/kit/bus'
import type { Tx } from '@app/kit/db'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { OTP_REQUEST_COMPLETED, OTP_RESULT_ROUTING_KEY, VERIFICATION_EXCHANGE } from '@app/contracts/verification'
import type { OtpResult } from '@app/contracts/verification'
import { createOtpResults } from '../src/otp-results.ts'
import { useAuth } from './helper.ts'

describe('auth: the otp service\'s answers', () => {
  const t = useAuth()
  const result = (status: OtpResult['status'] = 'sent'): OtpResult => ({ requestId: randomUUID(), destination: uniquePhone(), purpose: 'verification', status })
  const stored = async (ids: string[]) => (await t.auth.ctx.db.query<{ request_id: string, status: string }>(
    'select request_id, status from otp_request_results where request_id = any($1::uuid[]) order by request_id', [ids])).rows

  it('stores the answers a transaction records side by side in one insert, a request answered twice once', async () => {
    const [a, b] = [result(), result('rate_limited')]
    let statements = 0
    await t.auth.ctx.db.tx(async (tx) => {
      const counting = Object.assign(Object.create(tx) as Tx, { query: (...args: Parameters<Tx['query']>) => { statements++; return tx.query(...args) } })
      const results = createOtpResults()
      await Promise.all([a, b, { ...a, status: 'invalid' as const }].map(r => results.record(r, counting)))
    })
    assert.equal(statements, 1)
    assert.deepEqual((await stored([a.requestId, b.requestId])).map(r => r.status).sort(), ['rate_limited', 'sent'])
  })

  it('keeps every answer of a burst once, redeliveries included', async () => {
    const answers = Array.from({ length: 30 }, () => result())
    const events = answers.map(r => createEvent('/services/otp', OTP_REQUEST_COMPLETED, r))
    const publish = (e: typeof events[number]) => t.auth.backends.bus.bus.publish(e, { exchange: VERIFICATION_EXCHANGE, routingKey: OTP_RESULT_ROUTING_KEY })
    await Promise.all([...events, events[0]!, events[1]!].map(publish))
    await waitFor(async () => (await Promise.all(events.map(e => wasProcessed(t.auth.ctx.db, 'auth.otp-results', e.id)))).every(Boolean))
    assert.equal((await stored(answers.map(r => r.requestId))).length, 30)
  })
})
