import type { Queryable, Tx } from '@app/kit/db'
import type { AuditEntry, ChainPosition } from './domain/chain.ts'

export type TypeFilter = { exact: string } | { prefix: string }

export interface AuditQuery {
  /** Entries whose `subject` is this user id. */
  subject?: string | undefined
  type?: TypeFilter | undefined
  /** Event time at or after this instant. */
  from?: Date | undefined
  /** Event time strictly before this instant. */
  to?: Date | undefined
  /** Only entries with a smaller seq (the previous page's last). */
  beforeSeq?: number | undefined
  limit: number
}

/** What an append needs to know once it holds the chain lock, read in one round trip. */
export interface AppendState {
  /** The entries already stored for the event ids asked about. */
  known: AuditEntry[]
  /** The last entry's seq and hash; the archive anchor when every entry was archived; undefined for an empty trail. */
  head: ChainPosition | undefined
  /** Which of the subjects asked about (user ids) had their data erased. */
  erased: Set<string>
}

/**
 * The append-only chain. Appends happen in three steps inside one transaction:
 * `lockChain` (held until commit: one appender at a time, across instances),
 * `appendState` (the head among it), then `insertMany` of the entries linked to that head.
 */
export interface AuditStore {
  lockChain(tx: Tx): Promise<void>
  /** The entry stored for an event id, or undefined when absent. */
  findByEventId(eventId: string, tx?: Tx): Promise<AuditEntry | undefined>
  /** Read after `lockChain`: the stored entries of these event ids, the head, and which of these subjects were erased. */
  appendState(eventIds: string[], subjects: string[], tx: Tx): Promise<AppendState>
  insert(entry: AuditEntry, tx: Tx): Promise<void>
  /** Inserts entries in one statement, in chain order. */
  insertMany(entries: AuditEntry[], tx: Tx): Promise<void>
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>
  /** Where verification starts: the newest archive anchor, or undefined when nothing was archived. */
  anchor(q?: Queryable): Promise<ChainPosition | undefined>
  /** Up to `limit` entries with seq above `afterSeq`, in chain order. */
  entriesAfter(afterSeq: number, limit: number, q?: Queryable): Promise<AuditEntry[]>
  markErased(subject: string, eventId: string, at: string, tx: Tx): Promise<void>
  /**
   * Replaces the data of every entry about the user (subject or `data.userId`,
   * or naming one of the addresses) by `{ erased: true }`, bar `keepEventId`
   * and legacy entries; returns how many.
   */
  eraseUser(target: ErasureTarget, tx: Tx): Promise<number>
  /** The legacy entries (no data hash): their seq range and count, and the first hashed entry's seq; undefined when there is none. */
  legacyRange(q?: Queryable): Promise<{ first: number, last: number, count: number, firstHashed: number | undefined } | undefined>
  /** Upgrades one legacy entry: sets its data hash, new link and hash; its old hash goes to `legacy_hash`. */
  rehashLegacy(entry: { seq: number, dataHash: string, prevHash: string, hash: string }, tx: Tx): Promise<void>
}

export interface ErasureTarget {
  userId: string
  email: string | null
  phone: string | null
  /** The tombstone: the user.deleted entry itself. */
  keepEventId: string
  at: string
}
