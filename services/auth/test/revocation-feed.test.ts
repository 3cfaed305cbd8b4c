import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { internalHeadersFor } from '@app/kit/testing'
import { createSessionStore } from '../src/session-store.pg.ts'
import { createRevocationFeed } from '../src/revocation-feed.ts'
import type { RevocationPage } from '../src/revocation-feed.ts'
import { useAuth } from './helper.ts'

describe('the revocation feed pages by (revokedAt, id)', () => {
  const svc = useAuth()

  /** `count` sessions of one new user, all ended by one revokeUserSessions call, so at one instant. */
  async function endedTogether (count: number, at: Date, erase = false): Promise<string[]> {
    const store = createSessionStore(svc.auth.ctx.db)
    const userId = randomUUID()
    const created = new Date(at.getTime() - 60_000)
    for (let i = 0; i < count; i++) {
      await store.insertSession({ id: randomUUID(), userId, createdAt: created, expiresAt: new Date(at.getTime() + 3_600_000), authTime: created })
    }
    const ended = await store.revokeUserSessions(userId, at, 'test')
    assert.equal(ended.length, count)
    if (erase) await store.eraseUserSessions(userId)
    return ended
  }

  it('reads to the end of more sessions ended at one instant than a page holds, live and erased, each once', async () => {
    // A time of its own, after whatever other tests ended: only these rows are in the window.
    const at = new Date(Date.now() + 86_400_000)
    const live = await endedTogether(12, at)
    const erased = await endedTogether(4, at, true)
    const feed = createRevocationFeed({ store: createSessionStore(svc.auth.ctx.db), now: () => new Date(at.getTime() + 1000), accessTtlSeconds: 1, pageSize: 5 })
    const seen: string[] = []
    let page: RevocationPage = await feed.since(at)
    let pages = 1
    for (;; pages++) {
      seen.push(...page.sessions.map(s => s.id))
      if (!page.more) break
      assert.ok(pages < 10, 'the pages move on')
      assert.equal(page.until, at.toISOString(), 'a page boundary inside the run of one instant')
      assert.ok(page.lastId)
      page = await feed.since(new Date(page.until), page.lastId)
    }
    assert.equal(pages, 4, '5 + 5 + 5 + 1 rows')
    assert.deepEqual([...seen].sort(), [...live, ...erased].sort())
    assert.equal(new Set(seen).size, seen.length, 'no row twice')
  })

  it('takes the id cursor on the internal route: only the rows after (since, afterId)', async (t) => {
    const at = new Date(Date.now() + 2 * 86_400_000)
    const ids = (await endedTogether(3, at)).sort()
    const get = (query: string) => svc.auth.app.inject({ method: 'GET', url: `/internal/auth/revocations?${query}`, headers: internalHeadersFor('auth', 'gateway') })
    const since = encodeURIComponent(at.toISOString())
    const mine = (res: Awaited<ReturnType<typeof get>>) => (res.json() as RevocationPage).sessions.map(s => s.id).filter(id => ids.includes(id))
    t.mock.method(svc.auth.ctx, 'now', () => new Date(at.getTime() + 1000))
    {
      const all = await get(`since=${since}`)
      assert.equal(all.statusCode, 200, all.body)
      assert.deepEqual(mine(all), ids)
      const rest = await get(`since=${since}&afterId=${ids[0]}`)
      assert.equal(rest.statusCode, 200, rest.body)
      assert.deepEqual(mine(rest), ids.slice(1))
      assert.equal((await get(`since=${since}&afterId=not-a-uuid`)).statusCode, 400)
    }
  })
})
