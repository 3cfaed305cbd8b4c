import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { useOidc } from './oidc-stack.ts'

const subject = () => `sub-${randomBytes(6).toString('hex')}`

describe('sign-in with an identity provider: what is refused', () => {
  const s = useOidc()
  const { t } = s

  const failed = (reason: string) => waitFor(() => t.events.some(e =>
    e.type === 'auth.login_failed' && (e.data as { method: string, reason: string }).method === 'oidc' && (e.data as { reason: string }).reason === reason))
  const sessionsOf = async (userId: string) =>
    Number((await t.auth.ctx.db.query<{ n: number }>('select count(*)::int as n from sessions where user_id = $1', [userId])).rows[0]!.n)

  async function linkedUser () {
    const user = await s.registerConfirmed()
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: true })
    return { user, sub }
  }

  it('answers 400 oidc_state_invalid for a wrong state, and for the right one from another browser; the flow then still finishes once', async () => {
    const { user, sub } = await linkedUser()
    const { url, browser } = await s.toCallback(sub)

    const wrong = new URL(url)
    wrong.searchParams.set('state', randomBytes(32).toString('base64url'))
    const forged = await browser.open(wrong.href)
    assert.equal(forged.status, 400)
    const problem = await forged.json() as { code: string, errors: Array<{ path: string }> }
    assert.equal(problem.code, 'oidc_state_invalid')
    assert.equal(problem.errors[0]?.path, '/query/state')

    const elsewhere = await s.browser().open(url.href)
    assert.equal(elsewhere.status, 400, 'the callback from a browser without the binding cookie is refused')
    assert.equal((await elsewhere.json() as { code: string }).code, 'oidc_state_invalid')
    await failed('state_invalid')
    assert.equal(await sessionsOf(user.id), 0)

    const done = await browser.open(url.href)
    assert.equal(done.status, 302)
    const back = new URL(done.headers.get('location')!)
    assert.ok(back.searchParams.get('code'), back.href)

    const replayed = await browser.open(url.href)
    assert.equal(replayed.status, 400, 'the provider\'s answer works once')
    assert.equal((await replayed.json() as { code: string }).code, 'oidc_state_invalid')
  })

  it('exchanges a one-time code once: replayed it is 400 oidc_code_invalid, and so is an expired one', async () => {
    const { user, sub } = await linkedUser()
    const code = s.codeOf(await s.signIn(sub))
    assert.equal((await s.exchange(code)).statusCode, 200)
    const replay = await s.exchange(code)
    assert.equal(replay.statusCode, 400)
    assert.equal(replay.json().code, 'oidc_code_invalid')
    assert.equal(replay.json().errors[0].path, '/body/code')
    await failed('code_invalid')
    assert.equal(await sessionsOf(user.id), 1)

    const late = s.codeOf(await s.signIn(sub))
    const realNow = t.auth.ctx.now
    t.auth.ctx.now = () => new Date(Date.now() + 61_000)
    try {
      const expired = await s.exchange(late)
      assert.equal(expired.statusCode, 400)
      assert.equal(expired.json().code, 'oidc_code_invalid')
    } finally {
      t.auth.ctx.now = realNow
    }
    assert.equal(await sessionsOf(user.id), 1)
  })

  it('never links or signs in with an email the provider did not verify', async () => {
    const user = await t.register()
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: false })
    const back = await s.signIn(sub)
    assert.equal(back.searchParams.get('error'), 'oidc_email_unverified')
    assert.ok(back.searchParams.get('error_description'))
    assert.equal(back.searchParams.has('code'), false)
    await failed('email_unverified')
    assert.equal(await sessionsOf(user.id), 0)
    const links = await t.auth.ctx.db.query('select 1 from oidc_identities where subject = $1', [sub])
    assert.equal(links.rows.length, 0)

    const noEmail = subject()
    s.idp.addAccount({ sub: noEmail })
    assert.equal((await s.signIn(noEmail, 'acme-signup')).searchParams.get('error'), 'oidc_email_unverified', 'no email: nothing to link or create')
  })

  it('refuses an ID token issued for another sign-in (nonce mismatch)', async () => {
    const { user, sub } = await linkedUser()
    const { url, browser } = await s.toCallback(sub)
    await t.auth.ctx.db.query('update oidc_flows set nonce = $1 where used_at is null and provider = $2', [randomBytes(32).toString('base64url'), 'acme'])
    const res = await browser.open(url.href)
    assert.equal(res.status, 302)
    const back = new URL(res.headers.get('location')!)
    assert.equal(back.searchParams.get('error'), 'oidc_token_invalid')
    assert.match(back.searchParams.get('error_description') ?? '', /nonce/)
    await failed('nonce_mismatch')
    assert.equal(await sessionsOf(user.id), 0)
  })

  it('refuses an ID token signed with a key the provider does not publish', async () => {
    const { user, sub } = await linkedUser()
    s.idp.forgeKeys(true)
    try {
      const back = await s.signIn(sub, 'acme-keys')
      assert.equal(back.searchParams.get('error'), 'oidc_token_invalid')
      assert.match(back.searchParams.get('error_description') ?? '', /signature|key/)
      assert.equal(back.searchParams.has('code'), false)
    } finally {
      s.idp.forgeKeys(false)
    }
    await failed('signature_invalid')
    assert.equal(await sessionsOf(user.id), 0)
  })

  it('returns a cancelled sign-in to the app as oidc_provider_error', async () => {
    const { sub } = await linkedUser()
    s.idp.denyNext()
    const back = await s.signIn(sub)
    assert.equal(back.searchParams.get('error'), 'oidc_provider_error')
    await failed('provider_error')
  })

  it('refuses a disabled account: back to the app with account_disabled, and a code issued before answers 403', async () => {
    const { user, sub } = await linkedUser()
    const early = s.codeOf(await s.signIn(sub))
    await t.user.ctx.db.query('update users set disabled_at = now() where id = $1', [user.id])
    const back = await s.signIn(sub)
    assert.equal(back.searchParams.get('error'), 'account_disabled')
    await failed('account_disabled')
    const res = await s.exchange(early)
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'account_disabled')
    assert.equal(await sessionsOf(user.id), 0)
  })

  it('answers 503 oidc_provider_unavailable when the provider cannot be reached', async () => {
    const res = await s.browser().open(s.startUrl('down'))
    assert.equal(res.status, 503)
    assert.ok(res.headers.get('retry-after'))
    assert.equal((await res.json() as { code: string }).code, 'oidc_provider_unavailable')
  })

  // Last: it stops the provider.
  it('returns to the app with oidc_provider_unavailable when the provider goes down before the code is redeemed', async () => {
    const { user, sub } = await linkedUser()
    const { url, browser } = await s.toCallback(sub)
    await s.idp.stop()
    const res = await browser.open(url.href)
    assert.equal(res.status, 302)
    const back = new URL(res.headers.get('location')!)
    assert.equal(back.searchParams.get('error'), 'oidc_provider_unavailable')
    await failed('provider_unavailable')
    assert.equal(await sessionsOf(user.id), 0)
  })
})
