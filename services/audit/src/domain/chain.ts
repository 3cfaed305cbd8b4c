import { createHash } from 'node:crypto'
import { canonicalJson } from './canonical-json.ts'

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** What an entry's hash covers: the event as stored (its data by hash), and the hash of the entry before it. */
export interface ChainContent {
  id: string
  type: string
  source: string
  subject: string | null
  /** ISO 8601 in UTC with milliseconds, as `Date.toISOString` writes it. */
  time: string
  /** SHA-256 (hex) of the canonical JSON of the data as first stored; it stays when the data is erased. */
  dataHash: string
  prevHash: string
}

export interface AuditEntry extends Omit<ChainContent, 'dataHash'> {
  /** Position in the chain: 1, 2, 3... without gaps (after an archive, from the anchor's seq + 1). */
  seq: number
  /** The payload as stored; `{ erased: true }` once erased. */
  data: unknown
  /** null for an entry stored before data hashes existed (a legacy entry: its hash covers `data` itself). */
  dataHash: string | null
  /** Lower-case hex SHA-256 of the canonical JSON of the ChainContent (of the legacy content for a legacy entry). */
  hash: string
  receivedAt: string
  /** When the data was erased (a user's deletion); null while it is as stored. */
  erasedAt: string | null
}

/** What erased data reads as; the entry keeps the hash of what it was. */
export const ERASED_DATA = Object.freeze({ erased: true })

/** SHA-256 (hex) of the canonical JSON of a payload. */
export function dataHash (data: unknown): string {
  return sha256(canonicalJson(data))
}

/** SHA-256 (hex) of the canonical JSON of `{ dataHash, id, prevHash, source, subject, time, type }`. */
export function chainHash (content: ChainContent): string {
  const { id, type, source, subject, time, dataHash, prevHash } = content
  return sha256(canonicalJson({ id, type, source, subject, time, dataHash, prevHash }))
}

/** The hash of an entry stored before data hashes existed: over `{ data, id, prevHash, source, subject, time, type }`. */
export function legacyChainHash (content: Omit<ChainContent, 'dataHash'> & { data: unknown }): string {
  const { id, type, source, subject, time, data, prevHash } = content
  return sha256(canonicalJson({ id, type, source, subject, time, data, prevHash }))
}

/** The hash an entry must have for its content. */
export function entryHash (entry: AuditEntry): string {
  return entry.dataHash == null ? legacyChainHash(entry) : chainHash({ ...entry, dataHash: entry.dataHash })
}

/** Where the next entry links to: the last entry, the archive anchor, or the start. */
export interface ChainPosition {
  seq: number
  hash: string
}

export const CHAIN_START: ChainPosition = { seq: 0, hash: GENESIS_HASH }

export type BreakReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch'

/** Data that is not erased must still be what its hash says. */
const dataIntact = (entry: AuditEntry) => entry.dataHash == null || entry.erasedAt != null || dataHash(entry.data) === entry.dataHash

/** Why `entry` does not continue the chain after `previous`, or undefined when it does. */
export function chainBreak (previous: ChainPosition, entry: AuditEntry): BreakReason | undefined {
  if (entry.seq !== previous.seq + 1) return 'seq_gap'
  if (entry.prevHash !== previous.hash) return 'prev_hash_mismatch'
  if (entryHash(entry) !== entry.hash || !dataIntact(entry)) return 'hash_mismatch'
  return undefined
}
