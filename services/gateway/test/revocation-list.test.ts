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
    async fetchPage (since: string | undefined): Promise<RevocationPage> {
      asked.push(since)
      if (down) throw new Error('connect ECONNREFUSED')
      const from = Math.max(since ? Date.parse(since) : 0, clock - WINDOW_SECONDS * 1000)
      const rows = ended.filter(e => e.at >= from && e.at <= clock).sort((a, b) => a.at - b.at).slice(0, pageSize)
      const more = rows.length === pageSize
      return { until: iso(more ? rows[rows.length - 1]!.at : clock), windowSeconds: WINDOW_SECONDS, more, sessions: rows.map(r => ({ id: r.id, revokedAt: iso(r.at) })) }
    }
  }
}

function listOver (feed: ReturnType<typeof fakeFeed>, options: Partial<RevocationListOptions> = {}) {
  return createRevocationList({ fetchPage: since => feed.fetchPage(since), pollMs: 1000, warn: () => {}, now: () => feed.now, ...options })
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
