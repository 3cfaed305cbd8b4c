import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { hkdfSync } from 'node:crypto'
import { loadServiceKeys } from '@app/kit/keys'
import { codeHmac, deriveCode, newSalt } from '../src/code.ts'
import { codeMatches, codeOf, newCode } from '../src/code-keys.ts'

const OLD = 'otp-old-secret-0123456789abcdef0123'
const NEW = 'otp-new-secret-0123456789abcdef0123'
const PHONE = '+15005550006'

describe('OTP codes across an OTP_HMAC_KEYS rotation', () => {
  it('a code issued under the old key is checked and sent again after the rotation, until the old key\'s date', () => {
    const clock = { at: Date.parse('2030-01-31T11:00:00Z') }
    const before = loadServiceKeys({ OTP_HMAC_KEYS: `o1:${OLD}` }).otpHmac
    const after = loadServiceKeys({ OTP_HMAC_KEYS: `o2:${NEW},o1:${OLD}:2030-01-31T12:00:00Z` }, { now: () => clock.at }).otpHmac
    const salt = newSalt()
    const issued = newCode(before, salt, PHONE, 'login')
    const record = { salt, codeHmac: issued.stored }
    assert.match(issued.stored, /^o1:/)
    assert.equal(codeOf(after, record), issued.code, 'a resend sends the same code')
    assert.equal(codeMatches(after, record, PHONE, 'login', issued.code), true)
    assert.equal(codeMatches(after, record, PHONE, 'mfa', issued.code), false, 'bound to its purpose')
    const fresh = newCode(after, newSalt(), PHONE, 'login')
    assert.match(fresh.stored, /^o2:/)
    clock.at = Date.parse('2030-01-31T12:00:00Z')
    assert.equal(codeMatches(after, record, PHONE, 'login', issued.code), false, 'its key is retired: the code is dead')
    assert.equal(codeOf(after, record), undefined)
    assert.equal(codeMatches(after, { codeHmac: fresh.stored }, PHONE, 'login', fresh.code), true)
  })

  it('checks a code stored before keyrings (no kid) with the key SERVICE_SECRET derived, derived-1', () => {
    const legacyKey = Buffer.from(hkdfSync('sha256', OLD, '', 'gatehouse/otp/v1', 32))
    const salt = newSalt()
    const code = deriveCode(legacyKey, salt)
    const record = { salt, codeHmac: codeHmac(legacyKey, PHONE, 'login', code) }
    const keys = loadServiceKeys({ SERVICE_SECRET: OLD }).otpHmac
    assert.equal(codeOf(keys, record), code)
    assert.equal(codeMatches(keys, record, PHONE, 'login', code), true)
  })
})
