import type { EventInput } from './audit-service.ts'

interface Waiting {
  input: EventInput
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * Appends consumed events in batches: what arrives while a batch commits goes
 * into the next one, so the chain lock is taken once per batch, not once per
 * event. A call resolves once its event is in the trail (then the message is
 * acknowledged). A failed batch is retried one event at a time, so an event
 * that cannot be stored fails alone and the others go in.
 */
export function createRecorder (recordMany: (inputs: EventInput[]) => Promise<void>, maxBatch = 200) {
  const waiting: Waiting[] = []
  let running = false

  async function commit (batch: Waiting[]): Promise<void> {
    try {
      await recordMany(batch.map(w => w.input))
      for (const w of batch) w.resolve()
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err)
      for (const w of batch) await commit([w])
    }
  }

  async function run (): Promise<void> {
    running = true
    while (waiting.length > 0) await commit(waiting.splice(0, maxBatch))
    running = false
  }

  return (input: EventInput): Promise<void> => new Promise((resolve, reject) => {
    waiting.push({ input, resolve, reject })
    if (!running) run().catch(() => {})
  })
}
