import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isAppError } from '@app/kit/errors'
import { createRevocationList } from '../src/revocation-list.ts'
import type { RevocationListOptions, RevocationPage } from '../src/revocation-list.ts'

const WINDOW_SECONDS = 960
const T0 = Date.parse('2026-12-01T10:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()

/** An auth service stand-in: sessions ended at given times, served as the real route pages them. */
function fakeFeed (pageSize = 100) {
  const ended: Array<{ id: string, at: number }> = []
  const asked: Array<string | undefined> = []
  let clock = T0
  let down = false
  return {
    ended,
    asked,
    advance (ms: number) { clock += ms },
    get now () { return clock },
    setDown (value: boolean) { down = value },
    end (id: string, at = clock) { ended.push({ id, at }) },
    async fetchPage (since: string | undefined, afterId?: string): Promise<RevocationPage> {
      asked.push(since)
      if (asked.length > 10_000) throw new Error('the list keeps asking: paging does not move on')
      if (down) throw new Error('connect ECONNREFUSED')
      const from = Math.max(since ? Date.parse(since) : 0, clock - WINDOW_SECONDS * 1000)
      // Keyset order (time, id), as the route pages; with afterId, only rows after (since, afterId).
      const after = (e: { id: string, at: number }) => afterId === undefined || e.at > from || (e.at === from && e.id > afterId)
      const rows = ended.filter(e => e.at >= from && e.at <= clock && after(e))
        .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, pageSize)
      const more = rows.length === pageSize
      const last = rows[rows.length - 1]
      return {
        until: iso(more ? last!.at : clock),
        windowSeconds: WINDOW_SECONDS,
        more,
        sessions: rows.map(r => ({ id: r.id, revokedAt: iso(r.at) })),
        ...(more ? { lastId: last!.id } : {})
      }
    }
  }
}

function listOver (feed: ReturnType<typeof fakeFeed>, options: Partial<RevocationListOptions> = {}) {
  return createRevocationList({ fetchPage: (since, afterId) => feed.fetchPage(since, afterId), pollMs: 1000, warn: () => {}, now: () => feed.now, ...options })
}

describe('the gateway\'s revocation list', () => {
  it('answers 503 until it has read the list once, then knows every recently ended session', async () => {
    const feed = fakeFeed()
    feed.end('old', T0 - 10 * 60_000)
    const list = listOver(feed)
    assert.throws(() => list.isRevoked('old'), err => isAppError(err) && err.status === 503)
    assert.equal(list.status(), 'degraded')
    await list.sync()
    assert.equal(list.isRevoked('old'), true, 'ended ten minutes ago: its access tokens may still be alive')
    assert.equal(list.isRevoked('live'), false)
    assert.equal(list.status(), 'ok')
  })

  it('reads again with an overlap, so a revocation committed late with an earlier time is not missed', async () => {
    const feed = fakeFeed()
    const list = listOver(feed)
    await list.sync()
    feed.advance(5000)
    feed.end('late', T0 + 1000)
    await list.sync()
    assert.equal(list.isRevoked('late'), true)
    assert.equal(feed.asked[1], iso(T0 - 15_000), 'the second read starts 15 s before the first one ended')
  })

  it('keeps the last list while the auth service is briefly unreachable, and says degraded once it is stale', async () => {
    const feed = fakeFeed()
    feed.end('ended')
    const list = listOver(feed, { staleAfterMs: 5000, failClosedAfterMs: 30_000 })
    await list.sync()
    feed.setDown(true)
    feed.advance(6000)
    await assert.rejects(list.sync())
    assert.equal(list.isRevoked('ended'), true)
    assert.equal(list.isRevoked('live'), false)
    assert.equal(list.status(), 'degraded')
    feed.setDown(false)
    feed.end('during')
    await list.sync()
    assert.equal(list.isRevoked('during'), true)
    assert.equal(list.status(), 'ok')
  })

  it('fails closed once it has not been read for failClosedAfterMs: 503 with Retry-After for every session, until a read succeeds', async () => {
    const feed = fakeFeed()
    feed.end('ended')
    const list = listOver(feed, { failClosedAfterMs: 10_000 })
    await list.sync()
    feed.setDown(true)
    feed.advance(10_000)
    assert.equal(list.isRevoked('live'), false, 'at the limit the last list still answers')
    feed.advance(1)
    await assert.rejects(list.sync())
    for (const sid of ['live', 'ended']) {
      assert.throws(() => list.isRevoked(sid), err => isAppError(err) && err.status === 503 && err.code === 'unavailable' && err.headers?.['retry-after'] === '1')
    }
    assert.equal(list.status(), 'degraded')
    feed.setDown(false)
    await list.sync()
    assert.equal(list.isRevoked('live'), false)
    assert.equal(list.isRevoked('ended'), true)
  })

  it('follows every page of a burst of revocations', async () => {
    const feed = fakeFeed(10)
    for (let i = 0; i < 35; i++) feed.end(`s${i}`, T0 - 1000 + i)
    const list = listOver(feed)
    await list.sync()
    for (let i = 0; i < 35; i++) assert.equal(list.isRevoked(`s${i}`), true, `s${i}`)
  })

  it('reads to the end of more sessions ended at one instant than a page holds (every session of a user ended at once), and then vouches', async () => {
    const feed = fakeFeed(10)
    const at = T0 - 1000
    for (let i = 0; i < 35; i++) feed.end(`same${String(i).padStart(2, '0')}`, at)
    feed.end('after', at + 1)
    const list = listOver(feed)
    await list.sync()
    for (let i = 0; i < 35; i++) assert.equal(list.isRevoked(`same${String(i).padStart(2, '0')}`), true, `same${i}`)
    assert.equal(list.isRevoked('after'), true)
    assert.equal(list.status(), 'ok', 'the read finished, so the list vouches')
    assert.equal(feed.asked.length, 4, 'four pages: 10, 10, 10, then the rest')
    feed.advance(11_000)
    await list.sync()
    assert.equal(list.isRevoked('live'), false, 'read again since: not failing closed')
  })

  it('forgets a session once no access token of it can be alive', async () => {
    const feed = fakeFeed()
    feed.end('gone')
    const list = listOver(feed)
    await list.sync()
    feed.advance((WINDOW_SECONDS + 1) * 1000)
    await list.sync()
    assert.equal(list.isRevoked('gone'), false)
  })
})
