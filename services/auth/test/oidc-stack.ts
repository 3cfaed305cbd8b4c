import assert from 'node:assert/strict'
import { after, before } from 'node:test'
import { freePort } from '@app/kit/testing'
import { createBrowser } from '../../../test/support/browser.ts'
import type { Browser } from '../../../test/support/browser.ts'
import { startTestOidcProvider } from '../../../test/support/oidc-provider.ts'
import type { TestOidcProvider } from '../../../test/support/oidc-provider.ts'
import { useAuth } from './helper.ts'

/** The public name the provider sends browsers back to; the test browser resolves it to the auth service. */
export const PUBLIC_HOST = 'gatehouse.test'
export const RETURN_TO = 'https://app.example/signed-in?tab=1'
const callback = (id: string) => `http://${PUBLIC_HOST}/api/v1/auth/oidc/${id}/callback`

/**
 * The user and auth services with four providers configured: `acme` (links
 * by verified email, no sign-up), `acme-signup` (creates accounts), `acme-keys`
 * (its own key cache, for the forged-key test) on one real OpenID provider,
 * and `down` (nothing listens at its issuer).
 */
export function useOidc () {
  const env: Record<string, string> = {}
  const state = {} as { idp: TestOidcProvider }
  before(async () => {
    state.idp = await startTestOidcProvider(['acme', 'acme-signup', 'acme-keys'].map(id => ({
      clientId: `gatehouse-${id}`, clientSecret: `secret-of-${id}-0123456789`, redirectUris: [callback(id)]
    })))
    const downPort = await freePort()
    Object.assign(env, {
      AUTH_OIDC_PROVIDERS: JSON.stringify([
        { id: 'acme', name: 'Acme', issuer: state.idp.issuer, clientId: 'gatehouse-acme', clientSecretEnv: 'ACME_CLIENT_SECRET' },
        { id: 'acme-signup', issuer: state.idp.issuer, clientId: 'gatehouse-acme-signup', clientSecret: 'secret-of-acme-signup-0123456789', allowSignup: true },
        { id: 'acme-keys', issuer: state.idp.issuer, clientId: 'gatehouse-acme-keys', clientSecret: 'secret-of-acme-keys-0123456789' },
        { id: 'down', issuer: `http://127.0.0.1:${downPort}`, clientId: 'nobody', clientSecret: 'nothing' }
      ]),
      ACME_CLIENT_SECRET: 'secret-of-acme-0123456789',
      AUTH_OIDC_CALLBACK_URL: `http://${PUBLIC_HOST}/api/v1/auth/oidc/{provider}/callback`,
      AUTH_REDIRECT_ALLOWLIST: 'https://app.example/signed-in',
      AUTH_OIDC_TIMEOUT_SECONDS: '5'
    })
  })
  const t = useAuth(env)
  after(async () => { await state.idp?.stop() })

  const browser = (): Browser => createBrowser({ hosts: { [PUBLIC_HOST]: t.auth.url } })
  const startUrl = (provider: string, redirectTo = RETURN_TO) =>
    `http://${PUBLIC_HOST}/api/v1/auth/oidc/${provider}/start?redirectTo=${encodeURIComponent(redirectTo)}`

  return {
    t,
    get idp () { return state.idp },
    browser,
    startUrl,
    /** Signs in at the provider as `sub` and follows the redirects until the app's return address. */
    async signIn (sub: string, provider = 'acme', using = browser()): Promise<URL> {
      state.idp.loginAs(sub)
      return (await using.follow(startUrl(provider), url => url.href.startsWith('https://app.example/'))).url
    },
    /** Signs in at the provider, stopping before the callback: its URL, and the browser that holds the cookie. */
    async toCallback (sub: string, provider = 'acme'): Promise<{ url: URL, browser: Browser }> {
      state.idp.loginAs(sub)
      const using = browser()
      const stop = await using.follow(startUrl(provider), url => url.pathname.endsWith('/callback'))
      return { url: stop.url, browser: using }
    },
    /** A registered account whose email is confirmed (set as the email-verification service's link would). */
    async registerConfirmed (): Promise<{ id: string, email: string }> {
      const user = await t.register()
      await t.user.ctx.db.query('update users set email_verified = true where id = $1', [user.id])
      return user
    },
    async exchange (code: string) {
      return t.auth.app.inject({ method: 'POST', url: '/api/v1/auth/oidc/exchange', payload: { code } })
    },
    codeOf (url: URL): string {
      assert.equal(url.searchParams.get('error'), null, `sign-in failed: ${url.href}`)
      const code = url.searchParams.get('code')
      assert.ok(code, `no code in ${url.href}`)
      return code
    }
  }
}
