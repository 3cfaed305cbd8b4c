import { createBatcher } from '@app/kit/bus'
import { activeTraceHeaders } from '@app/kit/tracing'
import type { Tx } from '@app/kit/db'
import type { DeliveryStore, NewDelivery } from './delivery-store.ts'
import type { DeliveryWorker } from './worker.ts'

type Queued = { id: string, created: boolean }

/**
 * Writes a queued delivery (in the caller's transaction when there is one)
 * and wakes the worker once it is committed, so a message does not wait for
 * the next poll. Deliveries queued at the same time in one transaction (the
 * effects of a consumer's batch run side by side) share one insert.
 */
export function createQueue (store: DeliveryStore, worker: Pick<DeliveryWorker, 'wake'>) {
  const inTx = new WeakMap<Tx, (delivery: NewDelivery) => Promise<Queued>>()

  function batcherOf (tx: Tx) {
    let queue = inTx.get(tx)
    if (!queue) {
      // A failure aborts the transaction: every delivery of the batch fails with it, none is retried alone.
      queue = createBatcher({ run: (list: NewDelivery[]) => store.queueMany(list, tx), retryAlone: () => false })
      inTx.set(tx, queue)
      tx.onCommit(() => worker.wake())
    }
    return queue
  }

  return async (queued: NewDelivery, tx?: Tx): Promise<Queued> => {
    // The trace it is queued in, read here: a batch's insert runs in the context of whoever started it.
    const traceparent = activeTraceHeaders()?.traceparent
    const delivery = traceparent ? { ...queued, traceparent } : queued
    if (!tx) {
      const queued = await store.queue(delivery)
      worker.wake()
      return queued
    }
    return batcherOf(tx)(delivery)
  }
}

export type Queue = ReturnType<typeof createQueue>
