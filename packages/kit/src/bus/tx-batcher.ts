import type { Tx } from '../db/db.ts'
import { createBatcher } from './batcher.ts'

/**
 * Coalesces the writes made at the same time in one transaction into one
 * statement (the effects of a consumer's batch run side by side in one
 * transaction). A lone write costs one statement as before. A failure aborts
 * the transaction, so every write of the batch fails with it: none is retried alone.
 */
export function perTransaction<I, O> (run: (items: I[], tx: Tx) => Promise<O[]>): (tx: Tx, item: I) => Promise<O> {
  const batchers = new WeakMap<Tx, (item: I) => Promise<O>>()
  return (tx, item) => {
    let batcher = batchers.get(tx)
    if (!batcher) {
      batcher = createBatcher({ run: (items: I[]) => run(items, tx), maxBatch: 1000, retryAlone: () => false, gatherSiblings: true })
      batchers.set(tx, batcher)
    }
    return batcher(item)
  }
}
