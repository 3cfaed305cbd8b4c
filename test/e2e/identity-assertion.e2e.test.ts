import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { ANY_CALL, internalCredential, signIdentityAssertion } from '@app/kit/http'
import type { AssertedUser } from '@app/kit/http'
import { testKeys } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const keys = testKeys()
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('identity assertions and internal credentials between the real gateway and real services', () => {
  const gw = usePlatform()
  const userUrl = () => gw.platform.services.get('user')!.url
  let account: { id: string, email: string, accessToken: string }

  /** What the gateway would send the user service for this account, made here (as a captured or forged copy would be). */
  function assertion (options: { audience?: string, requestId?: string, at?: number, user?: AssertedUser } = {}) {
    const requestId = options.requestId ?? `req-${randomBytes(6).toString('hex')}`
    const user = options.user ?? { sub: account.id, roles: ['user'], sid: null, authTime: Math.floor(Date.now() / 1000) }
    const token = signIdentityAssertion(keys.identity, { audience: options.audience ?? 'user', requestId, ip: '203.0.113.5', user, ttlSeconds: 10 }, options.at)
    return { 'x-request-id': requestId, 'x-identity-assertion': token }
  }

  const direct = async (headers: Record<string, string>, path = '/api/v1/users/me') => {
    const res = await fetch(`${userUrl()}${path}`, { headers })
    return { status: res.status, body: await res.json() as Record<string, unknown> }
  }

  it('a user signs up, logs in and reads their account through the gateway (internal calls and the assertion accepted)', async () => {
    const email = `assert.${randomBytes(4).toString('hex')}@example.com`
    const registered = await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD })
    assert.equal(registered.status, 201, JSON.stringify(registered.body))
    const login = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(login.status, 200, JSON.stringify(login.body))
    account = { id: registered.body.id, email, accessToken: login.body.accessToken }
    const me = await gw.json('GET', '/api/v1/users/me', undefined, { ...bearer(account.accessToken), 'x-identity-assertion': 'ga1.derived-1.e30.AAAA', 'x-user-id': 'someone-else' })
    assert.equal(me.status, 200, JSON.stringify(me.body))
    assert.equal(me.body.id, account.id)
  })

  it('the service accepts an assertion once, and refuses it replayed', async () => {
    const headers = assertion()
    assert.equal((await direct(headers)).status, 200)
    const replayed = await direct(headers)
    assert.equal(replayed.status, 401)
    assert.equal(replayed.body.code, 'unauthorized')
  })

  it('the service refuses a stale assertion, one for another service, and one for another request', async () => {
    assert.equal((await direct(assertion({ at: Date.now() - 20_000 }))).status, 401, 'stale')
    assert.equal((await direct(assertion({ audience: 'order' }))).status, 401, 'foreign')
    assert.equal((await direct({ ...assertion(), 'x-request-id': 'req-another' })).status, 401, 'another request')
  })

  it('the service ignores the old identity headers: no caller', async () => {
    const res = await direct({ 'x-user-id': account.id, 'x-user-roles': 'user,admin' })
    assert.equal(res.status, 401)
  })

  it('an internal route accepts a credential for its service only', async () => {
    const call = (callee: string) => fetch(`${userUrl()}/internal/users/${account.id}`, {
      headers: { 'x-service-token': internalCredential({ keyring: keys.internal, caller: 'auth', callee }, { method: ANY_CALL, path: ANY_CALL }) }
    })
    assert.equal((await call('user')).status, 200)
    assert.equal((await call('order')).status, 401)
  })
})
