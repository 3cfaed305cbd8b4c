import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '@app/kit/config'
import { identityOf } from '../src/oidc/claims.ts'
import { callbackUrlOf, checkCallbackTemplate, parseOidcProviders } from '../src/oidc/providers-config.ts'

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err))
    return err.problems
  }
  assert.fail('no ConfigError')
}

const entry = (overrides: Record<string, unknown> = {}) => ({ id: 'corp', issuer: 'https://sso.example.com', clientId: 'gatehouse', clientSecret: 's3cret', ...overrides })

describe('AUTH_OIDC_PROVIDERS', () => {
  it('reads providers with their defaults, and a secret from the variable clientSecretEnv names', () => {
    const [corp, other] = parseOidcProviders(JSON.stringify([
      entry({ clientSecret: undefined, clientSecretEnv: 'CORP_SECRET', name: 'Corp SSO' }),
      entry({ id: 'dev', issuer: 'http://127.0.0.1:9999/realms/x', allowSignup: true, scopes: ['openid', 'email'], claims: { email: 'upn' } })
    ]), { CORP_SECRET: 'from-env' })
    assert.equal(corp!.clientSecret, 'from-env')
    assert.equal(corp!.name, 'Corp SSO')
    assert.deepEqual(corp!.scopes, ['openid', 'email', 'profile'])
    assert.deepEqual(corp!.claims, { email: 'email', name: 'name', emailVerified: 'email_verified' })
    assert.equal(corp!.allowSignup, false)
    assert.equal(corp!.insecure, false)
    assert.equal(other!.insecure, true, 'plain http on a loopback address (development)')
    assert.equal(other!.allowSignup, true)
    assert.deepEqual(other!.claims, { email: 'upn', name: 'name', emailVerified: 'email_verified' })
  })

  it('is empty when unset', () => {
    assert.deepEqual(parseOidcProviders('', {}), [])
  })

  it('reports every problem of a bad list at once, naming the variable', () => {
    assert.deepEqual(problemsOf(() => parseOidcProviders('{not json', {})), ['AUTH_OIDC_PROVIDERS must be a JSON array of providers'])
    const problems = problemsOf(() => parseOidcProviders(JSON.stringify([
      entry({ issuer: 'http://sso.example.com' }),
      entry({ scopes: ['email'] }),
      entry({ id: 'env', clientSecret: undefined, clientSecretEnv: 'MISSING_SECRET' })
    ]), {}))
    assert.equal(problems.length, 4, problems.join('\n'))
    assert.ok(problems.every(p => p.startsWith('AUTH_OIDC_PROVIDERS')))
    assert.ok(problems.some(p => /must be https/.test(p)))
    assert.ok(problems.some(p => /must include openid/.test(p)))
    assert.ok(problems.some(p => /appears twice/.test(p)))
    assert.ok(problems.some(p => /MISSING_SECRET, which is not set/.test(p)))
  })

  it('refuses unknown fields and malformed ids', () => {
    assert.ok(problemsOf(() => parseOidcProviders(JSON.stringify([entry({ clientSecert: 'typo' })]), {})).length > 0)
    assert.ok(problemsOf(() => parseOidcProviders(JSON.stringify([entry({ id: 'Has Spaces' })]), {})).length > 0)
  })

  it('fills the provider into AUTH_OIDC_CALLBACK_URL, which must name it', () => {
    assert.equal(callbackUrlOf('https://id.example.com/api/v1/auth/oidc/{provider}/callback', 'corp'), 'https://id.example.com/api/v1/auth/oidc/corp/callback')
    assert.deepEqual(problemsOf(() => checkCallbackTemplate('https://id.example.com/callback')), ['AUTH_OIDC_CALLBACK_URL must contain {provider}'])
    assert.doesNotThrow(() => checkCallbackTemplate('http://127.0.0.1:8080/api/v1/auth/oidc/{provider}/callback'))
  })
})

describe('the identity in a provider\'s claims', () => {
  const mapping = { email: 'email', name: 'name', emailVerified: 'email_verified' }

  it('counts an email as verified only when the provider says true (or "true")', () => {
    assert.equal(identityOf({ sub: 'a', email: 'a@example.com', email_verified: true }, undefined, mapping).emailVerified, true)
    assert.equal(identityOf({ sub: 'a', email: 'a@example.com', email_verified: 'true' }, undefined, mapping).emailVerified, true)
    assert.equal(identityOf({ sub: 'a', email: 'a@example.com' }, undefined, mapping).emailVerified, false)
    assert.equal(identityOf({ sub: 'a', email: 'a@example.com', email_verified: 'yes' }, undefined, mapping).emailVerified, false)
  })

  it('completes the ID token with userinfo but never lets userinfo override it', () => {
    const identity = identityOf({ sub: 'a', email: 'id@example.com' }, { sub: 'a', email: 'info@example.com', email_verified: true, name: 'Ada' }, mapping)
    assert.deepEqual(identity, { subject: 'a', email: 'id@example.com', emailVerified: true, name: 'Ada' })
  })

  it('reads mapped claim names', () => {
    const identity = identityOf({ sub: 'a', upn: 'ada@corp.example', verified: true }, undefined, { email: 'upn', name: 'name', emailVerified: 'verified' })
    assert.equal(identity.email, 'ada@corp.example')
    assert.equal(identity.emailVerified, true)
  })
})
