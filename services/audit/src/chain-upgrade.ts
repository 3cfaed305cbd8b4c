import type { Db, Tx } from '@app/kit/db'
import type { Logger } from '@app/kit/log'
import type { AuditStore } from './audit-store.ts'
import { CHAIN_START, chainBreak, chainHash, dataHash } from './domain/chain.ts'
import type { AuditEntry, ChainPosition } from './domain/chain.ts'

export type UpgradeResult =
  | { upgraded: number }
  | { upgraded: 0, skipped: 'chain_broken', firstBroken: { seq: number, reason: string } }
  | { upgraded: 0, skipped: 'hashed_entries_between' }

/** Every entry after `from` up to seq `last`, a page at a time, inside the transaction. */
async function walk (store: AuditStore, tx: Tx, from: ChainPosition, last: number, pageSize: number, visit: (entry: AuditEntry) => Promise<boolean>): Promise<void> {
  let seq = from.seq
  while (seq < last) {
    const page = await store.entriesAfter(seq, Math.min(pageSize, last - seq), tx)
    if (page.length === 0) return
    for (const entry of page) {
      if (!await visit(entry)) return
      seq = entry.seq
    }
  }
}

/**
 * Entries stored before data hashes existed are hashed over their data, so
 * their data could not be erased without breaking the chain. Once, under the
 * chain lock: if their chain verifies, each gets its data hash and is
 * re-hashed over it, in order (its old hash is kept in `legacy_hash`, so a
 * head recorded elsewhere before the upgrade can still be found). A chain that
 * does not verify is left as it is: `verify` keeps reporting where it breaks.
 */
export async function upgradeLegacyChain (db: Db, store: AuditStore, log: Logger, pageSize = 1000): Promise<UpgradeResult> {
  const result = await db.tx(async (tx): Promise<UpgradeResult> => {
    await store.lockChain(tx)
    const legacy = await store.legacyRange(tx)
    if (!legacy) return { upgraded: 0 }
    // Only a chain that starts legacy and continues hashed can be re-hashed in place; anything else is left alone.
    if (legacy.firstHashed !== undefined) return { upgraded: 0, skipped: 'hashed_entries_between' }
    const start = await store.anchor(tx) ?? CHAIN_START

    let previous = start
    let broken: { seq: number, reason: string } | undefined
    await walk(store, tx, start, legacy.last, pageSize, async (entry) => {
      const reason = chainBreak(previous, entry)
      if (reason) broken = { seq: entry.seq, reason }
      previous = { seq: entry.seq, hash: entry.hash }
      return reason === undefined
    })
    if (broken) return { upgraded: 0, skipped: 'chain_broken', firstBroken: broken }

    let prevHash = start.hash
    let upgraded = 0
    await walk(store, tx, start, legacy.last, pageSize, async (entry) => {
      const content = { ...entry, dataHash: dataHash(entry.data), prevHash }
      prevHash = chainHash(content)
      await store.rehashLegacy({ seq: entry.seq, dataHash: content.dataHash, prevHash: content.prevHash, hash: prevHash }, tx)
      upgraded++
      return true
    })
    return { upgraded }
  })
  if ('skipped' in result) log.error(result, 'legacy audit entries not upgraded: their data cannot be erased until the chain is repaired')
  else if (result.upgraded > 0) log.info(result, 'legacy audit entries re-hashed over their data hash')
  return result
}
