import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { waitFor } from '@app/kit/testing'
import { uniqueEmail, uniquePhone, useOtp, wrong } from './helper.ts'

describe('otp: codes are bound to their flow', () => {
  const t = useOtp()

  it('never lets a code from /otp/generate satisfy a service flow, nor one flow\'s code another', async () => {
    const phone = uniquePhone()
    const publicCode = await t.generate(phone)
    for (const flow of ['phone_signup', 'verification']) {
      const res = await t.internal('verify', { destination: phone, purpose: 'verification', flow, otp: publicCode })
      assert.equal(res.statusCode, 410, flow)
      assert.equal(res.json().code, 'otp_expired')
    }
    assert.equal((await t.internal('send', { destination: phone, purpose: 'verification', flow: 'phone_signup' })).statusCode, 202)
    const signupCode = await t.codeNumber(phone, 2)
    assert.equal((await t.internal('verify', { destination: phone, purpose: 'verification', flow: 'phone_change', otp: signupCode })).statusCode, 410)
    assert.equal((await t.post('validate', { destination: phone, otp: signupCode })).statusCode, publicCode === signupCode ? 200 : 400)
    assert.equal((await t.internal('verify', { destination: phone, purpose: 'verification', flow: 'phone_signup', otp: signupCode })).statusCode, 200)
  })

  it('keeps the public code and a service flow\'s code of one number apart: neither replaces the other', async () => {
    const phone = uniquePhone()
    assert.equal((await t.internal('send', { destination: phone, purpose: 'login', flow: 'phone_login' })).statusCode, 202)
    const loginCode = await t.codeNumber(phone, 1)
    const publicCode = await t.generate(phone, 'login')
    assert.equal((await t.internal('verify', { destination: phone, purpose: 'login', flow: 'phone_login', otp: loginCode })).statusCode, 200)
    assert.equal((await t.post('validate', { destination: phone, purpose: 'login', otp: publicCode })).statusCode, 200)
  })

  it('takes purpose reauth on the internal routes only, and derives the flow from the purpose when none is named', async () => {
    const email = uniqueEmail()
    assert.equal((await t.post('generate', { destination: email, purpose: 'reauth' })).statusCode, 400)
    assert.equal((await t.internal('send', { destination: email, purpose: 'reauth', userId: randomUUID() })).statusCode, 202)
    const code = await t.codeNumber(email, 1)
    assert.equal((await t.internal('verify', { destination: email, purpose: 'reauth', flow: 'reauth', otp: code })).statusCode, 200)
    await waitFor(() => t.events.find(e => e.type === 'otp.validated' && (e.data as { destination: string, flow?: string }).destination === email && (e.data as { flow?: string }).flow === 'reauth'))
  })

  it('refuses flow public on the internal routes: only /api/v1/otp issues public codes', async () => {
    const res = await t.internal('send', { destination: uniquePhone(), flow: 'public' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'validation_failed')
  })
})

describe('otp: a stranger\'s public requests do not spend the owner\'s budget', () => {
  const t = useOtp({ OTP_MAX_SENDS_PER_HOUR: '5', OTP_MAX_FAILURES_PER_HOUR: '10' })

  it('after 5 public generates and 10 wrong guesses against a number, its login and reset codes still send and verify', async () => {
    const victim = uniquePhone()
    for (let round = 0; round < 2; round++) {
      const code = await t.generate(victim)
      for (let i = 0; i < 5; i++) assert.notEqual((await t.post('validate', { destination: victim, otp: wrong(code) })).statusCode, 200)
    }
    for (let i = 0; i < 3; i++) assert.equal((await t.post('generate', { destination: victim })).statusCode, 202)
    assert.equal((await t.post('generate', { destination: victim })).statusCode, 429, 'the stranger\'s sends stay capped')
    const code = await t.codeNumber(victim, 5)
    const capped = await t.post('validate', { destination: victim, otp: code })
    assert.equal(capped.statusCode, 429)
    assert.equal(capped.json().code, 'rate_limited', 'the stranger\'s guesses stay capped')

    let sent = 5
    for (const [purpose, flow] of [['login', 'phone_login'], ['password_reset', 'password_reset'], ['verification', 'verification']]) {
      assert.equal((await t.internal('send', { destination: victim, purpose, flow })).statusCode, 202, flow)
      const ownerCode = await t.codeNumber(victim, ++sent)
      assert.equal((await t.internal('verify', { destination: victim, purpose, flow, otp: ownerCode })).statusCode, 200, flow)
    }
  })

  it('counts case and Unicode variants of one mailbox against one budget', async () => {
    const local = `budget.${randomUUID().slice(0, 8)}`
    const variants = [`${local}@example.com`, `${local.toUpperCase()}@EXAMPLE.com`, `${local}@ｅｘａｍｐｌｅ.com`, ` ${local}@Example.Com `, `${local.toUpperCase()}@example.com`]
    const statuses = []
    for (const destination of variants) statuses.push((await t.post('generate', { destination })).statusCode)
    assert.deepEqual(statuses, [202, 202, 202, 202, 202])
    assert.equal((await t.post('generate', { destination: `${local}@example.COM` })).statusCode, 429)
    const zeroWidth = await t.post('generate', { destination: `${local}\u200b@example.com` })
    assert.equal(zeroWidth.statusCode, 400)
    assert.equal(zeroWidth.json().errors[0].path, '/body/destination')
  })
})
