// The load generator, in its own process (never the platform's nor better-auth's): autocannon,
// 50 connections, closed loop. A child of load/client.ts; takes Jobs over IPC, answers JobResults.
import autocannon from 'autocannon'
import type { Request, Result } from 'autocannon'
import type { Job, JobResult } from './job.ts'

function requestOf (job: Job, onExhausted: () => void, pool: string[]): Request {
  let next = 0
  const request: Request = { method: job.method }
  if (job.bodies) {
    const bodies = job.bodies
    request.setupRequest = (req) => {
      if (next >= bodies.length) onExhausted()
      return { ...req, body: bodies[Math.min(next++, bodies.length - 1)] }
    }
  } else if (job.headerVariants) {
    const variants = job.headerVariants
    request.setupRequest = (req) => ({ ...req, headers: { ...job.headers, ...variants[next++ % variants.length] } })
  } else if (job.rotate) {
    const { field } = job.rotate
    request.setupRequest = (req) => ({ ...req, body: JSON.stringify({ [field]: pool.shift() }) })
    request.onResponse = (status, body) => { if (status === 200) pool.push((JSON.parse(body) as Record<string, string>)[field]!) }
  } else if (job.body !== undefined) {
    request.body = job.body
  }
  return request
}

function run (job: Job): Promise<JobResult> {
  const pool = [...job.rotate?.tokens ?? []]
  let exhausted = false
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: job.url,
      connections: 50,
      duration: job.duration,
      headers: job.headers,
      requests: [requestOf(job, () => {
        if (!exhausted) setImmediate(() => instance.stop())
        exhausted = true
      }, pool)]
    }, (err: Error | null, result: Result & { '2xx'?: number }) => {
      if (err) return reject(err)
      const ok = result['2xx'] ?? 0
      resolve({
        requestsPerSecond: Math.round(10 * ok / Math.max(result.duration, 0.01)) / 10,
        ok,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        p50: result.latency.p50,
        p99: result.latency.p99,
        seconds: result.duration,
        exhausted,
        ...(job.rotate ? { tokens: pool } : {})
      })
    })
  })
}

process.on('message', (message: { id: number, job: Job }) => {
  run(message.job).then(
    result => process.send!({ id: message.id, result }),
    (err: Error) => process.send!({ id: message.id, error: err.message }))
})
process.on('disconnect', () => process.exit(0))
