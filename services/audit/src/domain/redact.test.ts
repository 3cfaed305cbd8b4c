import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isSecretName, redact } from './redact.ts'

describe('isSecretName', () => {
  it('matches names with a secret word in any case style', () => {
    for (const name of ['password', 'newPassword', 'PASSWORD', 'refresh_token', 'accessToken', 'tokens', 'otp', 'OTPCode', 'smsCode', 'code', 'client-secret', 'apiSecret', 'pwd']) {
      assert.equal(isSecretName(name), true, name)
    }
  })

  it('leaves names that only contain those letters', () => {
    for (const name of ['userId', 'email', 'passage', 'encoder', 'tokenizer', 'secretary', 'hotpath', 'reason', 'identifierHash']) {
      assert.equal(isSecretName(name), false, name)
    }
  })
})

describe('redact', () => {
  it('drops secret members at any depth, in arrays too, and keeps the rest', () => {
    assert.deepEqual(redact({ a: 1, token: 't', list: [{ code: 1, b: 2 }, 'x'], deep: { deeper: { secret: 's', c: 3 } } }),
      { a: 1, list: [{ b: 2 }, 'x'], deep: { deeper: { c: 3 } } })
  })

  it('replaces U+0000 and unpaired surrogates, keeping proper pairs', () => {
    assert.deepEqual(redact({ 'k\u0000': 'a\u0000\ud83d\ude00\udc00' }), { 'k\uFFFD': 'a\uFFFD\ud83d\ude00\uFFFD' })
  })

  it('passes scalars through', () => {
    assert.equal(redact(null), null)
    assert.equal(redact(3), 3)
  })
})
