import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createEvent, wasProcessed } from '@app/kit/bus'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { uniqueEmail, useOtp, wrong } from './helper.ts'

describe('a deleted user (user.deleted)', () => {
  const t = useOtp({ OTP_MAX_SENDS_PER_HOUR: '2', OTP_MAX_FAILURES_PER_HOUR: '2' })

  it('erases the codes of the account\'s email and phone and the counters kept for them', async () => {
    const userId = randomUUID()
    const phone = uniquePhone()
    const email = uniqueEmail()
    assert.equal((await t.internal('send', { destination: phone, purpose: 'login', flow: 'phone_login', userId })).statusCode, 202)
    const code = await t.codeNumber(phone, 1)
    await t.generate(email.toUpperCase())
    await t.generate(email)
    assert.equal((await t.post('generate', { destination: email })).statusCode, 429)
    for (let i = 0; i < 2; i++) await t.post('validate', { destination: email, otp: wrong(await t.codeNumber(email, 2)) })

    const deleted = createEvent('/services/user', 'user.deleted', { userId, email, phone, emailVerified: true, phoneVerified: true, deletedBy: 'self' }, userId)
    await t.otp.backends.bus.bus.publish(deleted)
    await waitFor(() => wasProcessed(t.otp.ctx.db, 'otp.user-deleted', deleted.id))

    const { rows } = await t.otp.ctx.db.query<{ n: number }>('select count(*)::int as n from otp_codes where user_id = $1 or lower(destination) = any($2::text[])', [userId, [phone, email.toLowerCase()]])
    assert.equal(rows[0]!.n, 0)
    assert.equal((await t.internal('verify', { destination: phone, purpose: 'login', flow: 'phone_login', otp: code })).statusCode, 410)
    assert.equal((await t.post('generate', { destination: email })).statusCode, 202, 'the send budget was erased with the address')
  })
})
