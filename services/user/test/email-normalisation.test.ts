import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { internal, useUserService } from './helper.ts'

const PASSWORD = 'correct horse battery'
const toFullWidth = (s: string) => [...s].map(c => /[!-~]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xFEE0) : c).join('')

/** @see issue 11, item 9: one mailbox, one account, however its address is spelled. */
describe('email normalisation in registration, lookup and login', () => {
  const svc = useUserService()
  const register = (email: string) => svc.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })

  it('refuses a full-width copy of a registered address as taken (409), and finds the account by it', async () => {
    const local = `ann.${randomBytes(4).toString('hex')}`
    const first = await register(`${local}@example.com`)
    assert.equal(first.statusCode, 201, first.body)
    const wide = `${toFullWidth(local)}＠ｅｘａｍｐｌｅ．ｃｏｍ`
    const copy = await register(wide)
    assert.equal(copy.statusCode, 409, copy.body)
    assert.equal(copy.json().errors[0].path, '/body/email')
    const lookup = await svc.app.inject({ method: 'GET', url: `/internal/users/lookup?email=${encodeURIComponent(wide)}`, headers: internal })
    assert.equal(lookup.json().id, first.json().id)
    const login = await svc.app.inject({ method: 'POST', url: '/internal/users/verify-credentials', headers: internal, payload: { email: wide, password: PASSWORD } })
    assert.equal(login.statusCode, 200, login.body)
    assert.equal(login.json().id, first.json().id)
  })

  it('stores the composed form, so a decomposed accent is the same account', async () => {
    const tag = randomBytes(4).toString('hex')
    const composed = await register(`jos\u00e9.${tag}@example.com`)
    assert.equal(composed.statusCode, 201, composed.body)
    const decomposed = await register(`jose\u0301.${tag}@example.com`)
    assert.equal(decomposed.statusCode, 409, decomposed.body)
    const other = await register(`jose\u0301.${tag}x@example.com`)
    assert.equal(other.json().email, `jos\u00e9.${tag}x@example.com`)
  })

  it('answers 400 naming /body/email for an address with a zero-width or direction-control character', async () => {
    const tag = randomBytes(4).toString('hex')
    assert.equal((await register(`ann.${tag}@example.com`)).statusCode, 201)
    for (const hidden of ['\u200b', '\u200d', '\u2060', '\ufeff', '\u202e']) {
      const res = await register(`ann.${tag}${hidden}@example.com`)
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().code, 'validation_failed')
      assert.deepEqual(res.json().errors, [{ path: '/body/email', message: 'must not contain invisible, zero-width or direction-control characters' }])
    }
  })

  it('stores an internationalised domain in its ASCII form, so both spellings are one account', async () => {
    const local = `ann.${randomBytes(4).toString('hex')}`
    const res = await register(`${local}@B\u00fccher.example`)
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(res.json().email, `${local}@xn--bcher-kva.example`)
    assert.equal((await register(`${local}@xn--bcher-kva.example`)).statusCode, 409)
  })
})
