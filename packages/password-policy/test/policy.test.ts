import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { isAppError } from '@app/kit/errors'
import { assertPasswordAllowed, passwordProblem } from '../src/index.ts'

describe('password policy', () => {
  it('ships exactly 10,000 distinct common passwords', () => {
    const lines = readFileSync(new URL('../data/common-passwords-10k.txt', import.meta.url), 'utf8').split('\n').filter(Boolean)
    assert.equal(lines.length, 10_000)
    assert.equal(new Set(lines).size, 10_000)
  })

  it('refuses common passwords whatever their case, including ones near the end of the list', () => {
    for (const password of ['password', 'PASSWORD', '12345678', 'Iloveyou1', 'baseball', 'qwertyuiop']) {
      assert.match(passwordProblem(password) ?? '', /most common/, password)
    }
    const last = readFileSync(new URL('../data/common-passwords-10k.txt', import.meta.url), 'utf8').trim().split('\n').filter(p => p.length >= 8).at(-1)!
    assert.match(passwordProblem(last) ?? '', /most common/)
  })

  it('accepts long uncommon passphrases with no composition rules', () => {
    assert.equal(passwordProblem('correct horse battery'), undefined)
    assert.equal(passwordProblem('all lowercase words here'), undefined)
  })

  it('counts characters, not bytes: 8 emoji are long enough, 7 are not', () => {
    assert.equal(passwordProblem('🐴🔋📎🐎🔋📎🐴🔑'), undefined)
    assert.match(passwordProblem('🐴🔋📎🐎🔋📎🐴') ?? '', /at least 8/)
    assert.match(passwordProblem('x'.repeat(129)) ?? '', /at most 128/)
    assert.equal(passwordProblem('é'.repeat(128)), undefined)
  })

  it('refuses the account\'s own email or phone as its password', () => {
    assert.match(passwordProblem('Ada@Example.com', { email: 'ada@example.com' }) ?? '', /email/)
    assert.match(passwordProblem('+1 415 555 0123', { phone: '+14155550123' }) ?? '', /phone/)
  })

  it('throws validation_failed naming the field', () => {
    assert.throws(() => assertPasswordAllowed('letmein1', '/body/newPassword'), (err) => {
      assert.ok(isAppError(err))
      assert.equal(err.code, 'validation_failed')
      assert.equal(err.status, 400)
      assert.deepEqual(err.errors?.map(e => e.path), ['/body/newPassword'])
      return true
    })
  })
})
