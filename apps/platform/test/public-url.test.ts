import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '@app/kit/config'
import { publicUrlOf, withPublicUrl } from '../src/public-url.ts'

describe('PUBLIC_URL: every link from one setting', () => {
  it('defaults to this machine\'s gateway, on its port (PORT=9090 moves the links too)', () => {
    const env = withPublicUrl({}, 9090)
    assert.equal(env.PUBLIC_URL, 'http://127.0.0.1:9090')
    assert.equal(env.PASSWORD_RESET_URL, 'http://127.0.0.1:9090/auth/reset')
    assert.equal(env.EMAIL_VERIFICATION_URL, 'http://127.0.0.1:9090/auth/verify-email')
    assert.equal(env.USER_EMAIL_CHANGE_UNDO_URL, 'http://127.0.0.1:9090/api/v1/users/email-change/undo')
    assert.equal(env.AUTH_MAGIC_LINK_URL, 'http://127.0.0.1:9090/api/v1/auth/magic-link/verify')
    assert.equal(env.AUTH_OIDC_CALLBACK_URL, 'http://127.0.0.1:9090/api/v1/auth/oidc/{provider}/callback')
    assert.equal(env.AUTH_REDIRECT_ALLOWLIST, 'http://127.0.0.1:9090/')
    // An IP address cannot be a passkey's relying party: the auth service's localhost default stays.
    assert.equal(env.AUTH_WEBAUTHN_RP_ID, undefined)
    assert.equal(env.AUTH_WEBAUTHN_ORIGINS, undefined)
  })

  it('derives every link, the return allow-list and the passkeys\' site from a public address', () => {
    const env = withPublicUrl({ PUBLIC_URL: 'https://id.example.com/' }, 8080)
    assert.equal(env.PUBLIC_URL, 'https://id.example.com')
    assert.equal(env.PASSWORD_RESET_URL, 'https://id.example.com/auth/reset')
    assert.equal(env.EMAIL_VERIFICATION_URL, 'https://id.example.com/auth/verify-email')
    assert.equal(env.AUTH_REDIRECT_ALLOWLIST, 'https://id.example.com/')
    assert.equal(env.AUTH_WEBAUTHN_RP_ID, 'id.example.com')
    assert.equal(env.AUTH_WEBAUTHN_ORIGINS, 'https://id.example.com')
  })

  it('keeps a path prefix (a gateway behind a proxy under /identity)', () => {
    const env = withPublicUrl({ PUBLIC_URL: 'https://example.com/identity/' })
    assert.equal(env.PASSWORD_RESET_URL, 'https://example.com/identity/auth/reset')
    assert.equal(env.AUTH_WEBAUTHN_ORIGINS, 'https://example.com')
  })

  it('lets each link variable that is set win over the derived one', () => {
    const env = withPublicUrl({ PUBLIC_URL: 'https://id.example.com', PASSWORD_RESET_URL: 'https://app.example.com/reset', AUTH_REDIRECT_ALLOWLIST: 'https://app.example.com/done' })
    assert.equal(env.PASSWORD_RESET_URL, 'https://app.example.com/reset')
    assert.equal(env.AUTH_REDIRECT_ALLOWLIST, 'https://app.example.com/done')
    assert.equal(env.EMAIL_VERIFICATION_URL, 'https://id.example.com/auth/verify-email')
  })

  it('guesses nothing in production: without PUBLIC_URL the services\' own defaults stay', () => {
    const env = { NODE_ENV: 'production', PORT: '8080' }
    assert.deepEqual(withPublicUrl(env, 8080), env)
  })

  it('refuses an address that is not an absolute http(s) URL, saying what it wants', () => {
    for (const bad of ['id.example.com', 'ftp://id.example.com', 'https://id.example.com/?a=1', 'https://u:p@id.example.com']) {
      assert.throws(() => publicUrlOf({ PUBLIC_URL: bad }, 8080), (err: unknown) => err instanceof ConfigError && /PUBLIC_URL/.test(err.message), bad)
    }
  })
})
