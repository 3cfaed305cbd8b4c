import type { Tx } from '@app/kit/db'
import type { DeliveryStore, NewDelivery } from './delivery-store.ts'
import type { DeliveryWorker } from './worker.ts'

/**
 * Writes a queued delivery (in the caller's transaction when there is one)
 * and wakes the worker once it is committed, so a message does not wait for
 * the next poll.
 */
export function createQueue (store: DeliveryStore, worker: Pick<DeliveryWorker, 'wake'>) {
  return async (delivery: NewDelivery, tx?: Tx): Promise<{ id: string, created: boolean }> => {
    const queued = await store.queue(delivery, tx)
    if (tx) tx.onCommit(() => worker.wake())
    else worker.wake()
    return queued
  }
}

export type Queue = ReturnType<typeof createQueue>
