import { fork } from 'node:child_process'
import type { Job, JobResult } from './job.ts'

export interface LoadWorker {
  run(job: Job): Promise<JobResult>
  stop(): Promise<void>
}

/** Starts the load generator in its own process (load/worker.ts). */
export function startLoadWorker (): LoadWorker {
  const child = fork(new URL('./worker.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  let nextId = 0
  const waiting = new Map<number, { resolve: (r: JobResult) => void, reject: (e: Error) => void }>()
  child.on('message', (message: { id: number, result?: JobResult, error?: string }) => {
    const w = waiting.get(message.id)
    waiting.delete(message.id)
    if (message.error !== undefined) w?.reject(new Error(message.error))
    else w?.resolve(message.result!)
  })
  child.once('exit', (code) => { for (const w of waiting.values()) w.reject(new Error(`load worker exited with ${code}`)) })
  return {
    run: (job) => new Promise((resolve, reject) => {
      const id = nextId++
      waiting.set(id, { resolve, reject })
      child.send({ id, job })
    }),
    stop: () => new Promise(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.disconnect()
    })
  }
}
