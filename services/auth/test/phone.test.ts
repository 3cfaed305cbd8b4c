import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeJwt } from 'jose'
import { waitFor } from '@app/kit/testing'
import { uniquePhone, usePhoneStack } from './phone-stack.ts'

describe('phone sign-up and login', () => {
  const stack = usePhoneStack()
  const { sms, codeNumber, getUser } = stack
  const s = { get auth () { return stack.s.auth } }

  const post = (path: string, payload: object) => s.auth.app.inject({ method: 'POST', url: `/api/v1/auth/phone/${path}`, payload })

  it('signs up: 202 at once, the code arrives by SMS, verify creates the account and returns a token pair', async () => {
    const phone = uniquePhone()
    const res = await post('signup', { phone })
    assert.equal(res.statusCode, 202)
    assert.deepEqual(res.json(), { message: 'OTP will be sent soon' })
    const code = await codeNumber(phone, 1)
    const verified = await post('verify', { phone, otp: code })
    assert.equal(verified.statusCode, 200, verified.body)
    const pair = verified.json()
    assert.equal(pair.tokenType, 'Bearer')
    const user = await getUser(String(decodeJwt(pair.accessToken).sub))
    assert.equal(user.phone, phone)
    assert.equal(user.phoneVerified, true)
    assert.equal(user.email, null)
    // The otp service's answer came back over auth_service_queue.
    const results = await waitFor(async () => {
      const { rows } = await s.auth.ctx.db.query<{ status: string }>('select status from otp_request_results where destination = $1', [phone])
      return rows.length > 0 && rows
    })
    assert.deepEqual(results.map(r => r.status), ['sent'])
  })

  it('signing up an existing number logs into the same account', async () => {
    const phone = uniquePhone()
    await post('signup', { phone })
    const first = (await post('verify', { phone, otp: await codeNumber(phone, 1) })).json()
    await post('signup', { phone })
    const second = (await post('verify', { phone, otp: await codeNumber(phone, 2) })).json()
    assert.equal(decodeJwt(second.accessToken).sub, decodeJwt(first.accessToken).sub)
  })

  it('logs in with a code; login/start answers an unknown number the same and sends it nothing', async () => {
    const phone = uniquePhone()
    await post('signup', { phone })
    const id = decodeJwt((await post('verify', { phone, otp: await codeNumber(phone, 1) })).json().accessToken).sub
    const stranger = uniquePhone()
    const unknown = await post('login/start', { phone: stranger })
    const known = await post('login/start', { phone })
    assert.equal(unknown.statusCode, 202)
    assert.deepEqual(unknown.json(), known.json())
    const code = await codeNumber(phone, 2)
    const login = await post('login', { phone, otp: code })
    assert.equal(login.statusCode, 200)
    assert.equal(decodeJwt(login.json().accessToken).sub, id)
    assert.deepEqual(await sms(stranger), [])
    const noCode = await post('login', { phone: stranger, otp: '123456' })
    assert.equal(noCode.statusCode, 410)
  })

  it('refuses a wrong code, and a signup code cannot log in', async () => {
    const phone = uniquePhone()
    await post('signup', { phone })
    const code = await codeNumber(phone, 1)
    const wrong = await post('verify', { phone, otp: String((Number(code) + 1) % 1_000_000).padStart(6, '0') })
    assert.equal(wrong.statusCode, 400)
    assert.equal(wrong.json().code, 'otp_invalid')
    assert.equal((await post('login', { phone, otp: code })).statusCode, 410)
  })

  it('check says whether a number can log in', async () => {
    const phone = uniquePhone()
    await post('signup', { phone })
    await post('verify', { phone, otp: await codeNumber(phone, 1) })
    assert.deepEqual((await post('check', { phone })).json(), { isValid: true })
    assert.deepEqual((await post('check', { phone: uniquePhone() })).json(), { isValid: false })
    assert.deepEqual((await post('check', { phone: '+1415' })).json(), { isValid: false })
  })

  it('names the field of a bad number', async () => {
    const res = await post('signup', { phone: '+1 not a number' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().errors[0].path, '/body/phone')
  })
})
