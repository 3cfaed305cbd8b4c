import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { codeHmac, deriveCode, newSalt, sameHmac } from '../src/code.ts'

describe('otp codes', () => {
  const key = randomBytes(32)

  it('are six digits, spread evenly over every position, leading zeros included', () => {
    const samples = 100_000
    const counts = Array.from({ length: 6 }, () => new Array<number>(10).fill(0))
    for (let i = 0; i < samples; i++) {
      const code = deriveCode(key, newSalt())
      assert.match(code, /^\d{6}$/)
      for (let p = 0; p < 6; p++) counts[p]![Number(code[p])]!++
    }
    // Each digit should appear 10% of the time; 4% relative slack is over 12 standard deviations.
    for (const position of counts) for (const n of position) assert.ok(Math.abs(n - samples / 10) < samples / 10 * 0.04, String(n))
  })

  it('are the same for the same salt and key (a resend sends the same code), different for another key', () => {
    const salt = newSalt()
    assert.equal(deriveCode(key, salt), deriveCode(key, salt))
    const others = new Set(Array.from({ length: 20 }, () => deriveCode(randomBytes(32), salt)))
    assert.ok(others.size > 1)
  })

  it('are checked through an HMAC bound to destination and purpose', () => {
    const stored = codeHmac(key, '+14155550123', 'login', '123456')
    assert.ok(sameHmac(stored, codeHmac(key, '+14155550123', 'login', '123456')))
    assert.ok(!sameHmac(stored, codeHmac(key, '+14155550123', 'mfa', '123456')))
    assert.ok(!sameHmac(stored, codeHmac(key, '+14155550124', 'login', '123456')))
    assert.ok(!sameHmac(stored, codeHmac(key, '+14155550123', 'login', '123457')))
  })
})
