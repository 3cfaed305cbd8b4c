import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Db, Tx } from '@app/kit/db'
import { AppError } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { createAccountLink } from '../src/oidc/account-link.ts'
import type { ProviderIdentity } from '../src/oidc/claims.ts'
import type { OidcStore } from '../src/oidc/oidc-store.ts'
import type { OidcProvider } from '../src/oidc/providers-config.ts'
import type { UserSummary } from '../src/user-client.ts'

const PROVIDER: OidcProvider = {
  id: 'acme', name: 'Acme', issuer: new URL('https://idp.example'), clientId: 'c', clientSecret: 's', scopes: ['openid'], claims: {}, allowSignup: true, insecure: false
} as OidcProvider
const IDENTITY: ProviderIdentity = { subject: 'sub-1', email: 'ada@example.com', emailVerified: true, name: 'Ada' }
const notFound = () => new AppError('user_not_found', 404, 'User not found')

/**
 * The account link with the user service and the tables faked: `lookup` is what the check by email sees,
 * `found` what findOrCreateByEmail answers a moment later (an account registered in between, say).
 */
function linkWith (lookup: UserSummary | undefined, found: { user: UserSummary, created: boolean, claimed?: boolean }) {
  const links = new Map<string, string>()
  const emitted: Array<{ type: string, data: unknown }> = []
  const tx = {} as Tx
  const store = {
    signInIdentity: async (provider: string, subject: string) => links.get(`${provider}:${subject}`),
    link: async (identity: { provider: string, subject: string, userId: string }, _at: Date, q: unknown) => {
      assert.equal(q, tx, 'the link is written in the event\'s transaction')
      const key = `${identity.provider}:${identity.subject}`
      const existing = links.get(key)
      if (existing) return { userId: existing, inserted: false }
      links.set(key, identity.userId)
      return { userId: identity.userId, inserted: true }
    },
    unlink: async () => {}
  } as unknown as OidcStore
  const events = { emit: async (_tx: Tx, type: string, data: unknown) => { emitted.push({ type, data }) } } as unknown as EventEmitter
  const link = createAccountLink({
    db: { tx: async <T>(fn: (t: Tx) => Promise<T>) => fn(tx) } as unknown as Db,
    store,
    events,
    users: {
      getUser: async (id: string) => ({ ...found.user, id }),
      findOrCreateByEmail: async () => found
    },
    findByEmail: async () => { if (!lookup) throw notFound(); return lookup },
    now: () => new Date('2026-01-01T00:00:00Z')
  })
  return { link, links, emitted }
}

const refusal = async (promise: Promise<unknown>) => {
  await assert.rejects(promise, (err: AppError) => {
    assert.equal(err.code, 'oidc_account_unverified')
    assert.equal(err.status, 409)
    return true
  })
}

describe('linking a provider account by email', () => {
  it('refuses an account that appeared between the check and findOrCreateByEmail: it never confirmed the address', async () => {
    // The lookup found no account; then someone registered the address, and findOrCreateByEmail found (and verified) theirs.
    const { link, links, emitted } = linkWith(undefined, { user: { id: 'squatter', roles: [], emailVerified: true }, created: false })
    await refusal(link.userFor(PROVIDER, IDENTITY))
    assert.equal(links.size, 0, 'nothing linked')
    assert.deepEqual(emitted, [])
  })

  it('refuses when the account found now is not the confirmed one the lookup found', async () => {
    const { link, links } = linkWith({ id: 'owner', roles: [], emailVerified: true }, { user: { id: 'other', roles: [], emailVerified: true }, created: false })
    await refusal(link.userFor(PROVIDER, IDENTITY))
    assert.equal(links.size, 0)
  })

  it('refuses when the user service says it has just verified (claimed) the account\'s email', async () => {
    const owner = { id: 'owner', roles: [], emailVerified: true }
    const { link, links } = linkWith(owner, { user: owner, created: false, claimed: true })
    await refusal(link.userFor(PROVIDER, IDENTITY))
    assert.equal(links.size, 0)
  })

  it('links the confirmed account, emitting auth.identity_linked once (userId and provider only), and not on later sign-ins', async () => {
    const owner = { id: 'owner', roles: [], emailVerified: true }
    const { link, emitted } = linkWith(owner, { user: owner, created: false, claimed: false })
    assert.equal((await link.userFor(PROVIDER, IDENTITY)).id, 'owner')
    assert.equal((await link.userFor(PROVIDER, IDENTITY)).id, 'owner')
    assert.deepEqual(emitted, [{ type: 'auth.identity_linked', data: { userId: 'owner', provider: 'acme' } }])
  })

  it('links an account it created without auth.identity_linked (user.registered announces it)', async () => {
    const { link, links, emitted } = linkWith(undefined, { user: { id: 'new', roles: [], emailVerified: true }, created: true, claimed: false })
    assert.equal((await link.userFor(PROVIDER, IDENTITY)).id, 'new')
    assert.equal(links.get('acme:sub-1'), 'new')
    assert.deepEqual(emitted, [])
  })
})
