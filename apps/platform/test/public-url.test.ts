import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, loadConfig } from '@app/kit/config'
import { AuthConfigSchema } from '../../../services/auth/src/config.ts'
import { relyingPartyFrom } from '../../../services/auth/src/passkeys/relying-party.ts'
import { createRedirectAllowlist } from '../../../services/auth/src/redirect-allowlist.ts'
import { publicUrlOf, withPublicUrl } from '../src/public-url.ts'

describe('PUBLIC_URL: every link from one setting', () => {
  it('defaults to this machine\'s gateway by name, on its port (PORT=9090 moves the links too)', () => {
    const env = withPublicUrl({}, 9090)
    // localhost, not 127.0.0.1: browsers treat it as a secure context and allow passkeys there (never on an IP address).
    assert.equal(env.PUBLIC_URL, 'http://localhost:9090')
    assert.equal(env.PASSWORD_RESET_URL, 'http://localhost:9090/auth/reset')
    assert.equal(env.EMAIL_VERIFICATION_URL, 'http://localhost:9090/auth/verify-email')
    assert.equal(env.USER_EMAIL_CHANGE_UNDO_URL, 'http://localhost:9090/api/v1/users/email-change/undo')
    assert.equal(env.AUTH_MAGIC_LINK_URL, 'http://localhost:9090/api/v1/auth/magic-link/verify')
    assert.equal(env.AUTH_OIDC_CALLBACK_URL, 'http://localhost:9090/api/v1/auth/oidc/{provider}/callback')
    // The console's sign-in returns, at either local address of the gateway; not the whole site.
    assert.equal(env.AUTH_REDIRECT_ALLOWLIST, 'http://localhost:9090/auth/,http://localhost:9090/account,http://127.0.0.1:9090/auth/,http://127.0.0.1:9090/account')
    // On localhost the auth service's own development default stays: relying party localhost, any localhost page.
    assert.equal(env.AUTH_WEBAUTHN_RP_ID, undefined)
    assert.equal(env.AUTH_WEBAUTHN_ORIGINS, undefined)
  })

  it('derives links that the auth service\'s passkey defaults accept, and a return list that admits the console\'s callback only', () => {
    const env = withPublicUrl({}, 9090)
    const auth = loadConfig(AuthConfigSchema, { ...env, NODE_ENV: 'development' })
    const rp = relyingPartyFrom({ ...auth, NODE_ENV: 'development' })
    assert.equal(auth.AUTH_WEBAUTHN_RP_ID, 'localhost')
    assert.equal(rp.allows(new URL(env.PUBLIC_URL!).origin), true, 'the public address is a passkey origin')
    const allowlist = createRedirectAllowlist(env.AUTH_REDIRECT_ALLOWLIST!)
    for (const ok of ['http://localhost:9090/auth/callback?method=magic-link&redirectTo=%2Faccount', 'http://127.0.0.1:9090/auth/callback?method=oidc', 'http://localhost:9090/account', 'http://localhost:9090/account/security']) {
      assert.equal(allowlist.allows(ok), true, ok)
    }
    for (const refused of ['http://localhost:9090/api/v1/users/me', 'http://localhost:9090/docs', 'http://localhost:9090/dev/inbox', 'http://localhost:9090/', 'http://localhost:9090/accounts', 'http://localhost:9091/auth/callback']) {
      assert.equal(allowlist.allows(refused), false, refused)
    }
  })

  it('derives every link, the return allow-list and the passkeys\' site from a public address', () => {
    const env = withPublicUrl({ PUBLIC_URL: 'https://id.example.com/' }, 8080)
    assert.equal(env.PUBLIC_URL, 'https://id.example.com')
    assert.equal(env.PASSWORD_RESET_URL, 'https://id.example.com/auth/reset')
    assert.equal(env.EMAIL_VERIFICATION_URL, 'https://id.example.com/auth/verify-email')
    assert.equal(env.AUTH_REDIRECT_ALLOWLIST, 'https://id.example.com/auth/,https://id.example.com/account')
    assert.equal(env.AUTH_WEBAUTHN_RP_ID, 'id.example.com')
    assert.equal(env.AUTH_WEBAUTHN_ORIGINS, 'https://id.example.com')
  })

  it('turns passkeys on in production too when PUBLIC_URL names the site (README, Passkeys)', () => {
    const env = withPublicUrl({ NODE_ENV: 'production', PUBLIC_URL: 'https://id.example.com' }, 8080)
    assert.equal(env.AUTH_WEBAUTHN_RP_ID, 'id.example.com')
    assert.equal(env.AUTH_WEBAUTHN_ORIGINS, 'https://id.example.com')
    assert.equal(env.AUTH_REDIRECT_ALLOWLIST, 'https://id.example.com/auth/,https://id.example.com/account')
  })

  it('refuses a path: the console works only at the root of its host', () => {
    for (const bad of ['https://id.example.com/gh/', 'https://id.example.com/gh', 'https://example.com/identity/', 'https://id.example.com//']) {
      assert.throws(() => withPublicUrl({ PUBLIC_URL: bad }), (err: unknown) => err instanceof ConfigError && err.problems.length === 1 && /^PUBLIC_URL must be the root address of a host/.test(err.problems[0]!), bad)
    }
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

  it('refuses an address that is not an absolute http(s) URL of a host, in one line naming PUBLIC_URL', () => {
    for (const bad of ['id.example.com', 'ftp://id.example.com', 'https://exa mple.com', 'https://exa_mple.com', 'https://exa*mple.com', 'https://-id.example.com', 'https://id.example.com/?a=1', 'https://id.example.com/?', 'https://id.example.com/#top', 'https://u:p@id.example.com', 'https://@id.example.com']) {
      assert.throws(() => publicUrlOf({ PUBLIC_URL: bad }, 8080), (err: unknown) => err instanceof ConfigError && err.problems.length === 1 && /^PUBLIC_URL /.test(err.problems[0]!), bad)
    }
  })

  it('accepts a root address with a trailing slash, a port, an IP address or a name in another script', () => {
    assert.equal(publicUrlOf({ PUBLIC_URL: 'https://ID.example.com:8443/' }, 8080), 'https://id.example.com:8443')
    assert.equal(publicUrlOf({ PUBLIC_URL: 'http://10.0.0.5:8080' }, 8080), 'http://10.0.0.5:8080')
    assert.equal(publicUrlOf({ PUBLIC_URL: 'http://[::1]:8080/' }, 8080), 'http://[::1]:8080')
    assert.equal(publicUrlOf({ PUBLIC_URL: 'https://bücher.example' }, 8080), 'https://xn--bcher-kva.example')
  })
})
