import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openPostgres } from '@app/kit/db'
import type { Db } from '@app/kit/db'
import { callerHeadersFor, openTestBackends, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { startAuthBehindProxy } from './auth-behind-proxy.ts'
import type { AuthBehindProxy } from './auth-behind-proxy.ts'
import { PASSWORD, uniqueEmail } from './helper.ts'

const APP = 'https://app.example.test/callback'
const ONE_SESSION = 'PGlite is one session: a logout cannot be in flight while an exchange runs'
const sidOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid

/**
 * A logout of the hosted page's session racing the exchange of a code it
 * issued: the exchange either sees the logout (refused) or the logout sees
 * the app's new session (and ends it too where it ends all the user's sessions).
 * Never an app session standing on a sign-in that had ended before it began.
 */
describe('handoff exchange racing the end of the session it came from', () => {
  const s = {} as AuthBehindProxy & {
    backends: TestBackends
    /** A second way into auth's schema on PostgreSQL: the other transaction of a race. */
    other: Db | undefined
  }

  before(async () => {
    s.backends = await openTestBackends()
    Object.assign(s, await startAuthBehindProxy(s.backends, { AUTH_REDIRECT_ALLOWLIST: APP }))
    const url = process.env.DATABASE_URL
    s.other = url ? openPostgres({ url, schema: s.auth.ctx.db.schema, poolSize: 3 }) : undefined
  })
  after(async () => {
    await s.other?.close()
    await s.cleanup?.()
    await s.backends?.cleanup()
  })

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    s.auth.app.inject({ method: 'POST', url, payload, headers })

  /** A user signed in on the hosted pages with a code for the app: the code and what is needed to end that sign-in. */
  async function signedInWithCode () {
    const email = uniqueEmail('handoff-race')
    const registered = await s.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })
    assert.equal(registered.statusCode, 201, registered.body)
    const userId: string = registered.json().id
    const login = await post('/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(login.statusCode, 200, login.body)
    const pair: { accessToken: string, refreshToken: string } = login.json()
    const sessionId = sidOf(pair.accessToken)
    const headers = callerHeadersFor(userId, ['user'], sessionId, { authTime: Math.floor(Date.now() / 1000) })
    const issued = await post('/api/v1/auth/handoff', { redirectTo: APP }, headers)
    assert.equal(issued.statusCode, 201, issued.body)
    return { userId, pair, sessionId, code: new URL(issued.json().location).searchParams.get('code')! }
  }

  const liveSessions = async (userId: string) =>
    (await s.auth.ctx.db.query<{ n: number }>('select count(*)::int as n from sessions where user_id = $1 and revoked_at is null', [userId])).rows[0]!.n

  /** The request's outcome once settled, and meanwhile whether it has. */
  function track<T> (promise: Promise<T>) {
    const state = { settled: false }
    return { promise: promise.finally(() => { state.settled = true }), get settled () { return state.settled } }
  }

  /** A backend waiting for a lock `pid` holds (running a statement like `statement`), or undefined. */
  async function blockedBy (pid: number, statement = '%'): Promise<number | undefined> {
    const { rows } = await s.other!.query<{ pid: number }>(
      'select pid from pg_stat_activity where $1::int = any(pg_blocking_pids(pid)) and query like $2', [pid, statement])
    return rows[0]?.pid
  }

  /** A transaction of the other connection that ran `statement` and stays open until `release()`; `pid` is its backend. */
  async function holdInOtherConnection (statement: string, params: unknown[] = []) {
    let release!: () => void
    const released = new Promise<void>(resolve => { release = resolve })
    let holding!: (pid: number) => void
    const holds = new Promise<number>(resolve => { holding = resolve })
    const done = s.other!.tx(async (tx) => {
      await tx.query(statement, params)
      holding((await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid)
      await released
    })
    // A statement that fails ends the wait with its error instead of leaving it hanging.
    const pid = await Promise.race([holds, done.then(() => { throw new Error('the transaction ended before it held its lock') })])
    return { pid, release, done }
  }

  it('refuses the code when the logout lands after the code was spent but before the app\'s session is stored', async () => {
    const signedIn = await signedInWithCode()
    let loggedOut = false
    // The exchange asks the user service for the user between spending the code and starting the session.
    s.proxy.beforeForward(async (method, url) => {
      if (loggedOut || method !== 'GET' || url !== `/internal/users/${signedIn.userId}`) return
      loggedOut = true
      const out = await post('/api/v1/auth/logout', { refreshToken: signedIn.pair.refreshToken })
      assert.equal(out.statusCode, 204, out.body)
    })
    try {
      const res = await post('/api/v1/auth/handoff/exchange', { code: signedIn.code })
      assert.ok(loggedOut, 'the logout ran inside the exchange')
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().code, 'handoff_code_invalid')
      assert.equal(await liveSessions(signedIn.userId), 0, 'no session outlives the sign-in it came from')
    } finally {
      s.proxy.beforeForward(undefined)
    }
  })

  it('waits for a logout in flight and then refuses the code', { skip: !process.env.DATABASE_URL && ONE_SESSION }, async () => {
    const signedIn = await signedInWithCode()
    // The logout's transaction: the session row is ended, not yet committed.
    const logout = await holdInOtherConnection('update sessions set revoked_at = now(), revoked_reason = \'logout\' where id = $1', [signedIn.sessionId])
    const exchange = track(post('/api/v1/auth/handoff/exchange', { code: signedIn.code }))
    await waitFor(async () => exchange.settled || await blockedBy(logout.pid))
    assert.equal(exchange.settled, false, 'the exchange waits for the logout')
    logout.release()
    await logout.done
    const res = await exchange.promise
    assert.equal(res.statusCode, 400, res.body)
    assert.equal(res.json().code, 'handoff_code_invalid')
    assert.equal(await liveSessions(signedIn.userId), 0)
  })

  it('ends the app\'s new session too when logout-all waited for its exchange', { skip: !process.env.DATABASE_URL && ONE_SESSION }, async () => {
    const signedIn = await signedInWithCode()
    // Holds the exchange inside its transaction, at the point where it stores the new session's refresh token.
    const holder = await holdInOtherConnection('lock table refresh_tokens in share mode')
    const exchange = track(post('/api/v1/auth/handoff/exchange', { code: signedIn.code }))
    const exchangePid = await waitFor(async () => await blockedBy(holder.pid, '%insert into sessions%'))
    const logoutAll = track(post('/api/v1/auth/logout-all', {}, { authorization: `Bearer ${signedIn.pair.accessToken}` }))
    await waitFor(async () => logoutAll.settled || await blockedBy(exchangePid))
    holder.release()
    await holder.done
    const [exchanged, loggedOut] = await Promise.all([exchange.promise, logoutAll.promise])
    assert.equal(loggedOut.statusCode, 204, loggedOut.body)
    assert.equal(await liveSessions(signedIn.userId), 0, 'every session of the user has ended')
    if (exchanged.statusCode === 200) {
      const refreshed = await post('/api/v1/auth/refresh', { refreshToken: exchanged.json().refreshToken })
      assert.equal(refreshed.statusCode, 401, refreshed.body)
    } else {
      assert.equal(exchanged.json().code, 'handoff_code_invalid', exchanged.body)
    }
  })
})
