export interface BatcherOptions<I, O> {
  /** Runs one batch; resolves with one result per item, in the items' order. */
  run: (items: I[]) => Promise<O[]>
  /** Items per batch at most (default 100). */
  maxBatch?: number
  /**
   * Whether a failed batch of several items is run again one item at a time,
   * so that an item that cannot succeed fails alone (default: always). Say
   * no for failures that would fail each item too, such as an outage.
   */
  retryAlone?: (err: unknown) => boolean
  /**
   * Starts the first batch after the current microtasks instead of at once,
   * so calls made together in one synchronous loop share it (the effects of a
   * consumer's batch are started side by side in one transaction).
   */
  gatherSiblings?: boolean
}

interface Waiting<I, O> {
  item: I
  resolve: (result: O) => void
  reject: (err: unknown) => void
}

/**
 * Coalesces concurrent calls into batches: a call made while nothing runs
 * starts a batch at once, and what arrives while a batch runs goes into the
 * next one. Nothing waits on a timer for a batch to fill, so a lone call costs
 * one batch, and under load one batch serves many calls (one round trip,
 * one transaction instead of one each).
 */
export function createBatcher<I, O> ({ run, maxBatch = 100, retryAlone = () => true, gatherSiblings = false }: BatcherOptions<I, O>): (item: I) => Promise<O> {
  const waiting: Array<Waiting<I, O>> = []
  let running = false

  async function settle (batch: Array<Waiting<I, O>>): Promise<void> {
    try {
      const results = await run(batch.map(w => w.item))
      batch.forEach((w, i) => w.resolve(results[i]!))
    } catch (err) {
      if (batch.length === 1 || !retryAlone(err)) {
        for (const w of batch) w.reject(err)
        return
      }
      for (const w of batch) await settle([w])
    }
  }

  async function drain (): Promise<void> {
    running = true
    try {
      while (waiting.length > 0) await settle(waiting.splice(0, maxBatch))
    } finally {
      running = false
    }
  }

  return (item: I): Promise<O> => new Promise<O>((resolve, reject) => {
    waiting.push({ item, resolve, reject })
    if (running) return
    // drain never rejects: each batch's failure is handed to its callers.
    if (gatherSiblings) {
      running = true
      queueMicrotask(() => { drain().catch(() => {}) })
    } else {
      drain().catch(() => {})
    }
  })
}
