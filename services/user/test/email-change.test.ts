import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openSecrets } from '@app/contracts/delivery'
import { internalHeadersFor, testKeys, waitFor } from '@app/kit/testing'
import { uniqueEmail } from './helper.ts'
import { PASSWORD, useAccountStack } from './stack.ts'

/** @see issue 11, item 7: an email change takes effect only once verified; the previous address can undo it. */
describe('email change: pending until verified, undone from the previous address', () => {
  const stack = useAccountStack()

  /** A verified account with a session, and a requested change to a new address; returns the undo token. */
  async function requestChange () {
    const email = uniqueEmail('old')
    const user = await stack.register({ email, password: PASSWORD })
    await stack.verifyContact(user.id, { email: user.email! })
    const session = await stack.session(email)
    const next = uniqueEmail('new').replace(/@.*/, '@example.com')
    const res = await stack.user$('PATCH', '/api/v1/users/me', session.headers, { email: next })
    assert.equal(res.statusCode, 200, res.body)
    const requested = await waitFor(() => stack.eventsOf('user.email_change_requested', user.id)[0])
    const { undoLink } = openSecrets((requested.data as { sealed: string }).sealed, testKeys().seal)
    return { user, session, email: user.email!, next, token: new URL(undoLink!).searchParams.get('token')! }
  }
  const markVerified = (id: string, email: string) =>
    stack.user$('POST', `/internal/users/${id}/email-verified`, internalHeadersFor('user'), { email })
  const me = async (headers: Record<string, string>) => (await stack.user$('GET', '/api/v1/users/me', headers)).json()
  const undo = (token: string) => stack.user$('POST', '/api/v1/users/email-change/undo', {}, { token })

  it('keeps logging in with the current address until the new one is verified; then the new one is the email, verified', async () => {
    const { user, session, email, next } = await requestChange()
    assert.equal((await stack.login(email)).statusCode, 200)
    assert.equal((await stack.login(next)).statusCode, 401)
    const res = await markVerified(user.id, next.toUpperCase())
    assert.equal(res.statusCode, 200, res.body)
    const now = await me(session.headers)
    assert.equal(now.email, next)
    assert.equal(now.emailVerified, true)
    assert.equal(now.pendingEmail, null)
    assert.equal((await stack.login(next)).statusCode, 200)
    const updated = await waitFor(() => stack.eventsOf('user.updated', user.id).find(e => (e.data as { changes: string[] }).changes.includes('email')))
    assert.equal((updated.data as { previousEmail: string }).previousEmail, email)
    assert.equal((updated.data as { emailChanged: boolean }).emailChanged, true)
  })

  it('refuses to verify an address that is neither the email nor the pending one (404 user_not_found)', async () => {
    const { user } = await requestChange()
    const res = await markVerified(user.id, uniqueEmail('other'))
    assert.equal(res.statusCode, 404)
  })

  it('undoes a change already verified: the previous address is back and verified, every session ended, the link spent', async () => {
    const { user, session, email, next, token } = await requestChange()
    assert.equal((await markVerified(user.id, next)).statusCode, 200)
    const res = await undo(token)
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { email })
    assert.notEqual((await stack.refresh(session.refreshToken)).statusCode, 200)
    const fresh = await stack.session(email)
    const now = await me(fresh.headers)
    assert.equal(now.email, email)
    assert.equal(now.emailVerified, true)
    assert.equal(now.pendingEmail, null)
    const undone = await waitFor(() => stack.eventsOf('user.email_change_undone', user.id)[0])
    assert.deepEqual(undone.data, { userId: user.id, restoredEmail: email })
    const again = await undo(token)
    assert.equal(again.statusCode, 400)
    assert.equal(again.json().code, 'email_change_undo_invalid')
    assert.equal(again.json().errors[0].path, '/body/token')
  })

  it('undoes a change still pending: the pending address is dropped and its link no longer completes the change', async () => {
    const { user, email, next, token } = await requestChange()
    assert.equal((await undo(token)).statusCode, 200)
    assert.equal((await markVerified(user.id, next)).statusCode, 404)
    const res = await stack.user$('GET', `/internal/users/${user.id}`, internalHeadersFor('user'))
    assert.equal(res.json().email, email)
    assert.equal(res.json().pendingEmail, null)
  })

  it('serves a page whose button posts: opening the link spends nothing, the form post undoes', async () => {
    const { user, email, token } = await requestChange()
    const page = await stack.user$('GET', `/api/v1/users/email-change/undo?token=${token}`, {})
    assert.equal(page.statusCode, 200)
    assert.match(page.headers['content-type'] as string, /text\/html/)
    assert.match(page.body, /<form method="post" action="\/api\/v1\/users\/email-change\/undo\/form">/)
    assert.equal((await stack.user$('GET', `/api/v1/users/email-change/undo?token=${token}`, {})).statusCode, 200, 'still live after two opens')
    const form = await stack.user.app.inject({
      method: 'POST', url: '/api/v1/users/email-change/undo/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}`
    })
    assert.equal(form.statusCode, 200, form.body)
    assert.match(form.body, /Change undone/)
    await waitFor(() => stack.eventsOf('user.email_change_undone', user.id)[0])
    assert.equal((await stack.user$('GET', `/api/v1/users/email-change/undo?token=${token}`, {})).statusCode, 400)
    assert.equal((await stack.login(email)).statusCode, 200)
  })

  it('answers an unknown or malformed token with 400 (page and API alike)', async () => {
    assert.equal((await stack.user$('GET', '/api/v1/users/email-change/undo?token=nope', {})).statusCode, 400)
    assert.equal((await stack.user$('GET', '/api/v1/users/email-change/undo', {})).statusCode, 400)
    const res = await undo('A'.repeat(43))
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'email_change_undo_invalid')
    const missing = await stack.user$('POST', '/api/v1/users/email-change/undo', {}, {})
    assert.equal(missing.statusCode, 400)
    assert.equal(missing.json().errors[0].path, '/body/token')
  })

  /** The undo token in the `n`-th (from 0) `user.email_change_requested` event of the user. */
  async function undoTokenOf (userId: string, n: number): Promise<string> {
    const requested = await waitFor(() => stack.eventsOf('user.email_change_requested', userId)[n])
    const { undoLink } = openSecrets((requested.data as { sealed: string }).sealed, testKeys().seal)
    return new URL(undoLink!).searchParams.get('token')!
  }

  /**
   * With the user service's clock a second further at each step (the links are created at distinct times):
   * a -> b (link T1 to a), b verified, b -> c (link T2 to b).
   */
  async function twoChanges (t: { after: (fn: () => void) => void }) {
    let clock = Date.now()
    const saved = stack.user.ctx.now
    stack.user.ctx.now = () => new Date(clock)
    t.after(() => { stack.user.ctx.now = saved })
    const tick = () => { clock += 1000 }
    const { user, session, email: a, next: b, token: t1 } = await requestChange()
    tick()
    assert.equal((await markVerified(user.id, b)).statusCode, 200)
    tick()
    const c = uniqueEmail('third').replace(/@.*/, '@example.com')
    const res = await stack.user$('PATCH', '/api/v1/users/me', session.headers, { email: c })
    assert.equal(res.statusCode, 200, res.body)
    const t2 = await undoTokenOf(user.id, 1)
    tick()
    return { user, a, b, t1, t2, tick }
  }

  it('a later link (to an address the attacker holds) does not spend an earlier one: the earlier link still restores its address', async (t) => {
    const { user, a, b, t1, t2, tick } = await twoChanges(t)
    const first = await undo(t2)
    assert.equal(first.statusCode, 200, first.body)
    assert.deepEqual(first.json(), { email: b })
    tick()
    const second = await undo(t1)
    assert.equal(second.statusCode, 200, second.body)
    assert.deepEqual(second.json(), { email: a })
    const now = (await stack.user$('GET', `/internal/users/${user.id}`, internalHeadersFor('user'))).json()
    assert.equal(now.email, a)
    assert.equal(now.emailVerified, true)
    assert.equal(now.pendingEmail, null)
    assert.equal((await undo(t1)).statusCode, 400, 'spent')
    assert.equal((await undo(t2)).statusCode, 400, 'spent')
  })

  it('an earlier link spends the links created after it', async (t) => {
    const { a, t1, t2 } = await twoChanges(t)
    const res = await undo(t1)
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { email: a })
    const later = await undo(t2)
    assert.equal(later.statusCode, 400)
    assert.equal(later.json().code, 'email_change_undo_invalid')
  })

  it('answers 409 when the previous address was registered by another account since, and ends no session', async () => {
    const { user, session, email, next, token } = await requestChange()
    assert.equal((await markVerified(user.id, next)).statusCode, 200)
    await stack.register({ email, password: PASSWORD })
    const res = await undo(token)
    assert.equal(res.statusCode, 409, res.body)
    const refreshed = await stack.refresh(session.refreshToken)
    assert.equal(refreshed.statusCode, 200, `sessions still live: ${refreshed.body}`)
    assert.equal(res.json().code, 'conflict')
    assert.equal(res.json().errors[0].path, '/body/token')
    const now = (await stack.user$('GET', `/internal/users/${user.id}`, internalHeadersFor('user'))).json()
    assert.equal(now.email, next)
    assert.equal(stack.eventsOf('user.email_change_undone', user.id).length, 0)
    const form = await stack.user.app.inject({
      method: 'POST', url: '/api/v1/users/email-change/undo/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}`
    })
    assert.equal(form.statusCode, 409)
    assert.match(form.body, /cannot be restored/)
  })

  it('answers 409 when the address is another account\'s, before anything is pending', async () => {
    const taken = await stack.register()
    const { session } = await requestChange()
    const res = await stack.user$('PATCH', '/api/v1/users/me', session.headers, { email: taken.email })
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().errors[0].path, '/body/email')
  })
})
