import { createHash } from 'node:crypto'
import { canonicalJson } from './canonical-json.ts'

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/** What an entry's hash covers: the event as stored, and the hash of the entry before it. */
export interface ChainContent {
  id: string
  type: string
  source: string
  subject: string | null
  /** ISO 8601 in UTC with milliseconds, as `Date.toISOString` writes it. */
  time: string
  data: unknown
  prevHash: string
}

export interface AuditEntry extends ChainContent {
  /** Position in the chain: 1, 2, 3... without gaps (after an archive, from the anchor's seq + 1). */
  seq: number
  /** Lower-case hex SHA-256 of the canonical JSON of the ChainContent. */
  hash: string
  receivedAt: string
}

/** SHA-256 (hex) of the canonical JSON of `{ data, id, prevHash, source, subject, time, type }`. */
export function chainHash (content: ChainContent): string {
  const { id, type, source, subject, time, data, prevHash } = content
  return createHash('sha256').update(canonicalJson({ id, type, source, subject, time, data, prevHash })).digest('hex')
}

/** Where the next entry links to: the last entry, the archive anchor, or the start. */
export interface ChainPosition {
  seq: number
  hash: string
}

export const CHAIN_START: ChainPosition = { seq: 0, hash: GENESIS_HASH }

export type BreakReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch'

/** Why `entry` does not continue the chain after `previous`, or undefined when it does. */
export function chainBreak (previous: ChainPosition, entry: AuditEntry): BreakReason | undefined {
  if (entry.seq !== previous.seq + 1) return 'seq_gap'
  if (entry.prevHash !== previous.hash) return 'prev_hash_mismatch'
  if (chainHash(entry) !== entry.hash) return 'hash_mismatch'
  return undefined
}
