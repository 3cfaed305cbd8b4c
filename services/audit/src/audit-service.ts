import type { Db, Tx } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { FieldError } from '@app/kit/errors'
import type { AuditQuery, AuditStore, TypeFilter } from './audit-store.ts'
import { canonicalJson } from './domain/canonical-json.ts'
import { createEvent } from '@app/kit/bus'
import { CHAIN_START, chainBreak, chainHash, dataHash, ERASED_DATA } from './domain/chain.ts'
import type { AuditEntry, BreakReason, ChainPosition } from './domain/chain.ts'
import { decodeCursor, encodeCursor } from './domain/cursor.ts'
import { redact } from './domain/redact.ts'
import { aboutUsers, ERASURE_RECORDED, storedData, userDeletion } from './domain/erasure.ts'
import type { UserDeletion } from './domain/erasure.ts'
import { AuditErrors } from './errors.ts'

/** An event to record; `time` is any instant Date can parse, `data` any JSON value. */
export interface EventInput {
  id: string
  type: string
  source: string
  subject?: string | null | undefined
  time: string
  data: unknown
}

export interface ListInput {
  userId?: string | undefined
  type?: string | undefined
  from?: string | undefined
  to?: string | undefined
  limit?: number | undefined
  cursor?: string | undefined
}

export interface AuditPage {
  items: AuditEntry[]
  /** Pass it back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null
}

export interface VerifyResult {
  ok: boolean
  /** Entries checked; when broken, up to and including the first broken one. */
  checked: number
  /** The last entry that verified (seq 0 and 64 zeros for an empty trail): keep it outside the database to detect a rewritten tail later. */
  head: ChainPosition
  firstBroken?: { seq: number, eventId: string, reason: BreakReason }
}

export interface AuditServiceDeps {
  db: Db
  store: AuditStore
  now: () => Date
  verifyPageSize: number
}

export const DEFAULT_PAGE_SIZE = 50

function invalid (errors: FieldError[]): never {
  throw KitErrors.validation_failed({ detail: errors.map(e => `${e.path.slice(1)} ${e.message}`).join('; '), errors })
}

/** `auth.*` selects every type under `auth.`; anything else one exact type. */
export function typeFilter (type: string): TypeFilter {
  return type.endsWith('.*') ? { prefix: type.slice(0, -1) } : { exact: type }
}

/** Same event, as far as a repeated log-event can tell: everything but the time, which the service sets. */
function sameContent (stored: AuditEntry, input: EventInput): boolean {
  const data = storedData(input.type, redact(input.data ?? null))
  return stored.type === input.type && stored.source === input.source && stored.subject === (input.subject ?? null) &&
    (stored.dataHash === null ? canonicalJson(stored.data) === canonicalJson(data) : stored.dataHash === dataHash(data))
}

export function createAuditService ({ db, store, now, verifyPageSize }: AuditServiceDeps) {
  /**
   * Appends events once, in order, under one hold of the chain lock: an id
   * already in the trail (or earlier in the batch) gives the stored entry with
   * `created: false`.
   */
  async function appendMany (inputs: EventInput[], tx: Tx): Promise<Array<{ entry: AuditEntry, created: boolean }>> {
    await store.lockChain(tx)
    const state = await store.appendState([...new Set(inputs.map(i => i.id))], [...new Set(inputs.flatMap(aboutUsers))], tx)
    const known = new Map(state.known.map(e => [e.id, e]))
    let previous = state.head ?? CHAIN_START
    const receivedAt = now().toISOString()
    const erased = state.erased
    const deletions: UserDeletion[] = []
    const created: AuditEntry[] = []
    const results = inputs.map(input => {
      const existing = known.get(input.id)
      if (existing) return { entry: existing, created: false }
      const data = storedData(input.type, redact(input.data ?? null))
      const deletion = userDeletion(input)
      if (deletion) {
        deletions.push(deletion)
        erased.add(deletion.userId)
      }
      // What arrives about a user whose data was erased is stored erased: its hash is kept, its data is not.
      const eraseNow = !deletion && input.type !== ERASURE_RECORDED && aboutUsers(input).some(id => erased.has(id))
      const content = {
        id: input.id,
        type: input.type,
        source: input.source,
        subject: input.subject ?? null,
        time: new Date(input.time).toISOString(),
        dataHash: dataHash(data),
        prevHash: previous.hash
      }
      const entry: AuditEntry = {
        ...content,
        data: eraseNow ? ERASED_DATA : data,
        seq: previous.seq + 1,
        hash: chainHash(content),
        receivedAt,
        erasedAt: eraseNow ? receivedAt : null
      }
      known.set(entry.id, entry)
      created.push(entry)
      previous = entry
      return { entry, created: true }
    })
    if (created.length > 0) await store.insertMany(created, tx)
    for (const deletion of deletions) await erase(deletion, receivedAt, tx)
    return results
  }

  /**
   * A user was deleted: the data of every entry about them is erased (their
   * hashes stay, so the chain verifies), the user.deleted entry stays as the
   * tombstone, and the erasure itself joins the trail.
   */
  async function erase (deletion: UserDeletion, at: string, tx: Tx): Promise<void> {
    await store.markErased(deletion.userId, deletion.eventId, at, tx)
    const erasedEntries = await store.eraseUser({ ...deletion, keepEventId: deletion.eventId, at }, tx)
    const record = createEvent('/services/audit', ERASURE_RECORDED, { userId: deletion.userId, deletedEventId: deletion.eventId, erasedEntries }, deletion.userId, now())
    await appendMany([record], tx)
  }

  const append = async (input: EventInput, tx: Tx) => (await appendMany([input], tx))[0]!

  return {
    /** Records consumed events in one transaction (see `createRecorder`). */
    async recordMany (inputs: EventInput[]): Promise<void> {
      await db.tx(tx => appendMany(inputs, tx))
    },

    /** log-event: 201 for a new id, 200 for a repeat of the same event, 409 when the id holds another event. */
    async logEvent (input: EventInput): Promise<{ entry: AuditEntry, created: boolean }> {
      const result = await db.tx(tx => append(input, tx))
      if (!result.created && !sameContent(result.entry, input)) {
        throw AuditErrors.audit_event_id_conflict({ detail: `Event ${input.id} is already in the audit trail with another type, source, subject or data`, errors: [{ path: '/body/id', message: 'is already used by another event' }] })
      }
      return result
    },

    async list ({ userId, type, from, to, limit = DEFAULT_PAGE_SIZE, cursor }: ListInput): Promise<AuditPage> {
      const beforeSeq = cursor === undefined ? undefined : decodeCursor(cursor)
      if (cursor !== undefined && beforeSeq === undefined) invalid([{ path: '/querystring/cursor', message: 'is not a cursor from a previous page' }])
      const query: AuditQuery = {
        subject: userId,
        type: type === undefined ? undefined : typeFilter(type),
        from: from === undefined ? undefined : new Date(from),
        to: to === undefined ? undefined : new Date(to),
        beforeSeq,
        limit: limit + 1
      }
      if (query.from && query.to && query.from >= query.to) invalid([{ path: '/querystring/to', message: 'must be later than from' }])
      // One row more than asked tells whether there is a next page without counting.
      const rows = await store.list(query)
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null }
    },

    /** Re-walks the whole chain, a page at a time, and stops at the first entry that does not continue it. */
    async verify (): Promise<VerifyResult> {
      let previous = await store.anchor() ?? CHAIN_START
      let checked = 0
      for (;;) {
        const page = await store.entriesAfter(previous.seq, verifyPageSize)
        for (const entry of page) {
          checked++
          const reason = chainBreak(previous, entry)
          if (reason) return { ok: false, checked, head: previous, firstBroken: { seq: entry.seq, eventId: entry.id, reason } }
          previous = { seq: entry.seq, hash: entry.hash }
        }
        if (page.length < verifyPageSize) return { ok: true, checked, head: previous }
      }
    }
  }
}

export type AuditService = ReturnType<typeof createAuditService>
