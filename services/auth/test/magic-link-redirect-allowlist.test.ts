import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRedirectAllowlist } from '../src/redirect-allowlist.ts'

describe('AUTH_REDIRECT_ALLOWLIST', () => {
  const list = createRedirectAllowlist(' https://app.example.com/auth , http://localhost:3000 ')

  it('admits an entry\'s origin with its path or below it, with any query', () => {
    assert.equal(list.allows('https://app.example.com/auth'), true)
    assert.equal(list.allows('https://app.example.com/auth/done?next=%2Fhome'), true)
    assert.equal(list.allows('http://localhost:3000/anything/at/all'), true)
  })

  it('refuses other schemes, hosts, ports, sibling paths and tricks', () => {
    for (const url of [
      'http://app.example.com/auth', // scheme
      'https://app.example.com.evil.example/auth',
      'https://evil.example/auth',
      'https://app.example.com:8443/auth',
      'https://app.example.com/authx',
      'https://app.example.com/other',
      'https://app.example.com/auth/../admin', // resolves to /admin
      'https://app.example.com@evil.example/auth',
      'https://app.example.com/auth#fragment',
      'https:\\\\evil.example/auth',
      'javascript:alert(1)',
      '/auth/relative',
      ''
    ]) assert.equal(list.allows(url), false, url)
  })

  it('answers 400 validation_failed naming the field', () => {
    assert.throws(() => list.check('https://evil.example/', '/body/redirectTo'), (err: { status: number, code: string, errors: Array<{ path: string }> }) => {
      assert.equal(err.status, 400)
      assert.equal(err.code, 'validation_failed')
      assert.equal(err.errors[0]!.path, '/body/redirectTo')
      return true
    })
    assert.equal(list.check('https://app.example.com/auth?x=1', '/body/redirectTo'), 'https://app.example.com/auth?x=1')
  })

  it('allows nothing when empty, and stops at start-up on a malformed entry naming the variable', () => {
    assert.equal(createRedirectAllowlist('').allows('https://app.example.com/'), false)
    assert.throws(() => createRedirectAllowlist('app.example.com'), /AUTH_REDIRECT_ALLOWLIST/)
    assert.throws(() => createRedirectAllowlist('ftp://app.example.com'), /AUTH_REDIRECT_ALLOWLIST/)
    assert.throws(() => createRedirectAllowlist('https://app.example.com/?x=1'), /AUTH_REDIRECT_ALLOWLIST/)
  })
})
