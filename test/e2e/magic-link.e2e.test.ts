import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const APP = 'https://app.example.com/auth/done'
const uniqueEmail = (tag: string) => `${tag}.${randomBytes(4).toString('hex')}@example.com`

describe('magic links through the gateway, mailed to the dev inbox', () => {
  const gw = usePlatform({ AUTH_REDIRECT_ALLOWLIST: 'https://app.example.com/auth', GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '5000' })

  const ask = (email: string, cookie?: string, redirectTo?: string) => fetch(`${gw.url}/api/v1/auth/magic-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ email, ...(redirectTo ? { redirectTo } : {}) })
  })
  const cookieOf = (res: Response) => res.headers.getSetCookie()[0]!.split(';')[0]!
  /** The `n`-th sign-in link mailed to the address (newest first). */
  async function link (email: string, n = 1): Promise<URL> {
    const items = await waitFor(async () => {
      const all = ((await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(email)}`)).body.items as Array<{ subject: string, text: string }>)
        .filter(m => /sign-in link/.test(m.subject))
      return all.length >= n && all
    }, undefined, 25)
    return new URL(/(https?:\/\/\S+token=[A-Za-z0-9_-]{43})/.exec(items[0]!.text)![1]!)
  }
  async function register (): Promise<string> {
    const email = uniqueEmail('ml')
    const res = await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD })
    assert.equal(res.status, 201)
    return email
  }
  const me = async (accessToken: string) => gw.json('GET', '/api/v1/users/me', undefined, { authorization: `Bearer ${accessToken}` })

  it('answers known and unknown addresses alike, and signs in through the hosted page and the one-time code', async () => {
    const email = await register()
    const unknown = await ask(uniqueEmail('nobody'))
    const known = await ask(email, undefined, `${APP}?state=xyz`)
    assert.equal(unknown.status, 202)
    assert.equal(known.status, 202)
    assert.deepEqual(await unknown.json(), await known.json())
    const cookie = cookieOf(known)
    assert.match(cookie, /^gh_magic_link=[A-Za-z0-9_-]{43}$/)

    const url = await link(email)
    assert.equal(url.pathname, '/api/v1/auth/magic-link/verify')
    const token = url.searchParams.get('token')!
    // The page the link opens, through the gateway: a button, nothing spent.
    const page = await fetch(`${gw.url}/api/v1/auth/magic-link/verify?token=${token}`, { headers: { cookie } })
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-type')!, /^text\/html/)
    const html = await page.text()
    assert.match(html, /action="\/api\/v1\/auth\/magic-link\/verify\/form"/)

    const confirmed = await fetch(`${gw.url}/api/v1/auth/magic-link/verify/form`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: `token=${token}`
    })
    assert.equal(confirmed.status, 303)
    const back = new URL(confirmed.headers.get('location')!)
    assert.equal(`${back.origin}${back.pathname}`, APP)
    assert.equal(back.searchParams.get('state'), 'xyz')

    const exchanged = await gw.json('POST', '/api/v1/auth/magic-link/verify', { code: back.searchParams.get('code') })
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body))
    const profile = await me(exchanged.body.accessToken)
    assert.equal(profile.status, 200)
    assert.equal(profile.body.email, email)
    assert.equal(profile.body.emailVerified, true)

    const reused = await gw.json('POST', '/api/v1/auth/magic-link/verify', { token })
    assert.equal(reused.status, 410)
    assert.equal(reused.body.code, 'magic_link_used')
  })

  it('signs in an app that posts the token itself; another browser must confirm first', async () => {
    const email = await register()
    const cookie = cookieOf(await ask(email))
    const token = (await link(email)).searchParams.get('token')!
    const elsewhere = await gw.json('POST', '/api/v1/auth/magic-link/verify', { token })
    assert.equal(elsewhere.status, 409)
    assert.equal(elsewhere.body.code, 'magic_link_other_device')
    assert.equal(elsewhere.body.requestedFrom.agent, 'Firefox on Linux')
    const same = await gw.json('POST', '/api/v1/auth/magic-link/verify', { token }, { cookie })
    assert.equal(same.status, 200, JSON.stringify(same.body))
    assert.equal((await me(same.body.accessToken)).body.email, email)

    await ask(email, cookie)
    const second = (await link(email, 2)).searchParams.get('token')!
    const confirmed = await gw.json('POST', '/api/v1/auth/magic-link/verify', { token: second, confirmDevice: true })
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body))
  })

  it('takes over an account registered with the address but never verified: the registrant\'s password and sessions stop working', async () => {
    // Account pre-hijacking: someone registered the owner's address with a password of their own and signed in.
    const email = await register()
    const before = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(before.status, 200, JSON.stringify(before.body))
    const old = before.body as { accessToken: string, refreshToken: string }
    assert.equal((await me(old.accessToken)).status, 200)

    // The owner signs in by link.
    const cookie = cookieOf(await ask(email))
    const token = (await link(email)).searchParams.get('token')!
    const signedIn = await gw.json('POST', '/api/v1/auth/magic-link/verify', { token }, { cookie })
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body))

    const login = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(login.status, 401)
    assert.equal(login.body.code, 'invalid_credentials')
    const refreshed = await gw.json('POST', '/api/v1/auth/refresh', { refreshToken: old.refreshToken })
    assert.equal(refreshed.status, 401, JSON.stringify(refreshed.body))
    // The ended session's access token is refused at the gateway once it has read the revocations.
    await waitFor(async () => (await me(old.accessToken)).status === 401, undefined, 25)

    const profile = await me(signedIn.body.accessToken)
    assert.equal(profile.status, 200)
    assert.equal(profile.body.email, email)
    assert.equal(profile.body.emailVerified, true)
    const renewed = await gw.json('POST', '/api/v1/auth/refresh', { refreshToken: signedIn.body.refreshToken })
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body))
  })

  it('refuses a redirectTo outside the allow-list, naming it', async () => {
    const res = await gw.json('POST', '/api/v1/auth/magic-link', { email: uniqueEmail('x'), redirectTo: 'https://app.example.com/authx' })
    assert.equal(res.status, 400)
    assert.equal(res.body.errors[0].path, '/body/redirectTo')
  })
})
