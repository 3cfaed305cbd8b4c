import { randomBytes, randomUUID } from 'node:crypto'
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent } from '@app/kit/bus'
import type { CloudEvent } from '@app/kit/bus'
import type { Env } from '@app/kit/config'
import { callerHeadersFor, internalHeadersFor, startTestService, waitFor } from '@app/kit/testing'
import { auditService } from '../src/service.ts'

export const internal = internalHeadersFor('audit')
export const asAdmin = callerHeadersFor(randomUUID(), ['user', 'admin'])
export const asUser = callerHeadersFor(randomUUID(), ['user'])

export interface AuditEventJson {
  seq: number
  id: string
  type: string
  source: string
  subject: string | null
  time: string
  data: Record<string, unknown>
  dataHash: string
  erasedAt: string | null
  hash: string
  prevHash: string
  receivedAt: string
}

export const newUserId = () => randomUUID()
export const tag = () => randomBytes(4).toString('hex')

type Running = Awaited<ReturnType<typeof startTestService<typeof auditService.configSchema>>>

/** One audit service per test file, on fresh test backends (real servers when their URLs are set). */
export function useAuditService (overrides: Env = {}) {
  const state = {} as { service: Running }
  before(async () => { state.service = await startTestService(auditService, overrides) })
  after(async () => { await state.service?.cleanup() })

  const db = () => state.service.ctx.db

  /** How many entries the trail holds for these event ids. */
  async function stored (ids: string[]): Promise<number> {
    const { rows } = await db().query<{ n: number }>('select count(*)::int as n from audit_events where event_id = any($1)', [ids])
    return rows[0]!.n
  }

  return {
    get service () { return state.service },
    get app () { return state.service.app },
    db,
    stored,

    /** Publishes an event on the `events` exchange as a service's outbox relay would. */
    async publish (type: string, data: unknown = {}, subject?: string, time?: Date): Promise<CloudEvent> {
      const event = createEvent('/services/test', type, data, subject, time)
      await state.service.backends.bus.bus.publish(event)
      return event
    },

    /** Waits until every one of these events is in the trail. */
    async waitStored (events: Array<{ id: string }>): Promise<void> {
      const ids = events.map(e => e.id)
      await waitFor(async () => (await stored(ids)) === ids.length)
    },

    async list (query: Record<string, string> = {}, headers: Record<string, string> = asAdmin) {
      return state.service.app.inject({ method: 'GET', url: `/api/v1/audit/events?${new URLSearchParams(query)}`, headers })
    },

    async verify (headers: Record<string, string> = asAdmin) {
      const res = await state.service.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers })
      assert.equal(res.statusCode, 200, res.body)
      return res.json() as { ok: boolean, checked: number, head: { seq: number, hash: string }, firstBroken?: { seq: number, eventId: string, reason: string } }
    },

    /** Every entry, in chain order. */
    async chain (): Promise<Array<{ seq: number, eventId: string, hash: string, prevHash: string }>> {
      const { rows } = await db().query<{ seq: number, eventId: string, hash: string, prevHash: string }>(
        'select seq::int as seq, event_id as "eventId", hash, prev_hash as "prevHash" from audit_events order by seq'
      )
      return rows
    },

    /** Runs statements with the append-only triggers off, as only the table owner can: to play the attacker or the archivist. */
    async bypassTrigger (fn: (tx: { query: (sql: string, params?: unknown[]) => Promise<unknown> }) => Promise<unknown>): Promise<void> {
      await db().tx(async (tx) => {
        await tx.query('alter table audit_events disable trigger user')
        await fn(tx)
        await tx.query('alter table audit_events enable trigger user')
      })
    }
  }
}

/** The seqs of a chain are 1..n (or from the anchor on) and each entry links to the one before it. */
export function assertSingleChain (chain: Array<{ seq: number, hash: string, prevHash: string }>, firstSeq = 1): void {
  chain.forEach((entry, i) => {
    assert.equal(entry.seq, firstSeq + i, 'no gaps, no duplicates')
    if (i > 0) assert.equal(entry.prevHash, chain[i - 1]!.hash, `entry ${entry.seq} links to ${entry.seq - 1}`)
  })
}
