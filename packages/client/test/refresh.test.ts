import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { usePlatform } from '../../../test/e2e/helper.ts'
import { createGatehouseClient, memoryTokenStorage } from '../src/index.ts'
import type { TokenPair } from '../src/index.ts'

const PASSWORD = 'client test passphrase'

/** A fetch that counts the refresh calls that pass through it. */
function countingFetch () {
  const counts = { refresh: 0, all: 0 }
  const send = async (request: Request) => {
    counts.all++
    if (new URL(request.url).pathname === '/api/v1/auth/refresh') counts.refresh++
    return fetch(request)
  }
  return { counts, send }
}

// An access token the gateway refuses (401 `unauthorized`): the signature no longer matches.
// An expired one answers 401 `token_expired`, which the client cures the same way; waiting
// out a real expiry would take 15 minutes.
const spoiled = (token: string) => `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`

describe('the typed client against the platform', () => {
  const gw = usePlatform()

  const signedIn = async () => {
    const email = `client.${randomBytes(4).toString('hex')}@example.com`
    const client = createGatehouseClient({ baseUrl: gw.url })
    const registered = await client.POST('/api/v1/users/register', { body: { email, password: PASSWORD, name: 'Client Test' } })
    assert.equal(registered.response.status, 201, JSON.stringify(registered.error))
    const login = await client.login({ email, password: PASSWORD })
    assert.equal(login.response.status, 200, JSON.stringify(login.error))
    return { email, tokens: (await client.tokens())! }
  }

  it('signs in with login and sends the access token on typed calls', async () => {
    const { email, tokens } = await signedIn()
    const client = createGatehouseClient({ baseUrl: gw.url, storage: memoryTokenStorage(tokens) })
    const me = await client.GET('/api/v1/users/me')
    assert.equal(me.response.status, 200)
    assert.equal(me.data?.email, email)
  })

  it('answers a refused access token with one refresh and the call again, keeping its body', async () => {
    const { tokens } = await signedIn()
    const storage = memoryTokenStorage({ ...tokens, accessToken: spoiled(tokens.accessToken) })
    const { counts, send } = countingFetch()
    const client = createGatehouseClient({ baseUrl: gw.url, storage, fetch: send })
    const put = await client.PUT('/api/v1/users/me/preferences', { body: { channels: { email: true, sms: false } } })
    assert.equal(put.response.status, 200, JSON.stringify(put.error))
    assert.equal(put.data?.channels.sms, false)
    assert.equal(counts.refresh, 1)
    const now = (await storage.get())!
    assert.notEqual(now.refreshToken, tokens.refreshToken, 'the rotated pair is stored')
    assert.equal((await client.GET('/api/v1/users/me')).response.status, 200)
    assert.equal(counts.refresh, 1, 'the new access token needs no further refresh')
  })

  it('shares one refresh between the calls in flight', async () => {
    const { tokens } = await signedIn()
    const { counts, send } = countingFetch()
    const client = createGatehouseClient({ baseUrl: gw.url, storage: memoryTokenStorage({ ...tokens, accessToken: spoiled(tokens.accessToken) }), fetch: send })
    const answers = await Promise.all(Array.from({ length: 6 }, () => client.GET('/api/v1/users/me')))
    assert.deepEqual(answers.map(a => a.response.status), [200, 200, 200, 200, 200, 200])
    assert.equal(counts.refresh, 1)
  })

  it('lets two tabs holding the same pair refresh at once without ending the session', async () => {
    const { tokens } = await signedIn()
    const tab = () => createGatehouseClient({ baseUrl: gw.url, storage: memoryTokenStorage({ ...tokens, accessToken: spoiled(tokens.accessToken) }) })
    const [a, b] = [tab(), tab()]
    const answers = await Promise.all([a.GET('/api/v1/auth/sessions'), b.GET('/api/v1/auth/sessions')])
    assert.deepEqual(answers.map(x => x.response.status), [200, 200])
    // The session lives on: each tab's new pair keeps working.
    for (const client of [a, b]) assert.equal((await client.GET('/api/v1/users/me')).response.status, 200)
  })

  it('forgets the tokens and says so when the API refuses the refresh token', async () => {
    const { tokens } = await signedIn()
    await createGatehouseClient({ baseUrl: gw.url, storage: memoryTokenStorage(tokens) }).logout()
    let ended = 0
    const storage = memoryTokenStorage({ ...tokens, accessToken: spoiled(tokens.accessToken) })
    const client = createGatehouseClient({ baseUrl: gw.url, storage, onSessionEnded: () => ended++ })
    const me = await client.GET('/api/v1/users/me')
    assert.equal(me.response.status, 401)
    assert.equal(me.error?.code, 'unauthorized')
    assert.equal(ended, 1)
    assert.equal(await storage.get(), undefined)
  })

  it('does not refresh for a 401 a new token cannot cure (a wrong password)', async () => {
    const { email, tokens } = await signedIn()
    const { counts, send } = countingFetch()
    const client = createGatehouseClient({ baseUrl: gw.url, storage: memoryTokenStorage(tokens), fetch: send })
    const wrong = await client.POST('/api/v1/auth/reauthenticate', { body: { password: 'not the passphrase' } })
    assert.equal(wrong.response.status, 401)
    assert.equal(wrong.error?.code, 'invalid_credentials')
    const login = await client.POST('/api/v1/auth/login', { body: { email, password: 'not the passphrase' } })
    assert.equal(login.response.status, 401)
    assert.equal(counts.refresh, 0)
    assert.deepEqual(await client.tokens(), tokens as TokenPair)
  })
})
