// better-auth 1.7.7 (bench/peers/better-auth), in its own process, and its flows.
import { execFileSync, fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Job } from '../load/job.ts'
import type { Side } from './side.ts'
import { freshNumbers, inBatches, PASSWORD } from './side.ts'

const PEER = fileURLToPath(new URL('../peers/better-auth/', import.meta.url))

/** npm install in the peer's own folder, on first use (the npm registry only; nothing downloads binaries). */
export function installBetterAuth (log: (line: string) => void): void {
  if (existsSync(`${PEER}node_modules/better-auth/package.json`) && existsSync(`${PEER}node_modules/pg/package.json`)) return
  log('installing better-auth into bench/peers/better-auth (first use)')
  execFileSync('npm', ['install', '--prefix', PEER, '--no-audit', '--no-fund', '--ignore-scripts'], { stdio: 'inherit' })
}

export async function startBetterAuth (options: { databaseUrl: string, schema: string, prefix: string }): Promise<Side> {
  const child: ChildProcess = fork(`${PEER}server.mjs`, [], {
    env: { ...process.env, BENCH_DATABASE_URL: options.databaseUrl, BENCH_SCHEMA: options.schema, BETTER_AUTH_SECRET: randomBytes(32).toString('hex'), NODE_ENV: 'production' },
    stdio: 'inherit'
  })
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', message => resolve(message as { url: string }))
    child.once('exit', code => reject(new Error(`better-auth exited with ${code} while starting`)))
  })
  // Its CSRF check wants an Origin on every mutating request, as a browser sends.
  const json = { 'content-type': 'application/json', origin: url }
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) })

  // 100 accounts; sign-up signs in, so each brings its session cookie.
  const emails = Array.from({ length: 100 }, (_, i) => `login${i}.${options.prefix}@example.com`)
  const cookies = await inBatches(emails, 10, async email => {
    const res = await post('/api/auth/sign-up/email', { email, password: PASSWORD, name: 'Bench' })
    if (!res.ok) throw new Error(`better-auth sign-up answered ${res.status}: ${await res.text()}`)
    return res.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
  })
  let signUps = 0
  const job = (path: string, extra: Partial<Job> & { duration: number }): Job => ({ url: `${url}${path}`, method: 'POST', headers: json, ...extra })

  return {
    key: 'better-auth',
    title: 'better-auth 1.7.7',
    processes: () => [{ name: 'better-auth', pid: child.pid! }],
    drain: async () => undefined,
    flows: {
      'sign-up': {
        job: async (duration) => job('/api/auth/sign-up/email', {
          duration,
          bodies: Array.from({ length: duration * 300 }, () => JSON.stringify({ email: `s${signUps++}.${options.prefix}@example.com`, password: PASSWORD, name: 'Bench' }))
        })
      },
      login: {
        job: async (duration) => job('/api/auth/sign-in/email', {
          duration,
          bodies: Array.from({ length: duration * 300 }, (_, i) => JSON.stringify({ email: emails[i % emails.length], password: PASSWORD }))
        })
      },
      read: {
        job: async (duration) => ({ url: `${url}/api/auth/get-session`, method: 'GET', headers: { origin: url }, duration, headerVariants: cookies.map(cookie => ({ cookie })) })
      },
      'phone-send': {
        job: async (duration) => job('/api/auth/phone-number/send-otp', { duration, bodies: freshNumbers(duration * 3000).map(phoneNumber => JSON.stringify({ phoneNumber })) })
      },
      'phone-verify': {
        warmUp: false,
        job: async (duration) => {
          await fetch(`${url}/bench/codes`)
          const numbers = freshNumbers(duration * 400)
          await inBatches(numbers, 50, phoneNumber => post('/api/auth/phone-number/send-otp', { phoneNumber }))
          const codes = await (await fetch(`${url}/bench/codes`)).json() as Record<string, string>
          return job('/api/auth/phone-number/verify', { duration, bodies: numbers.filter(n => codes[n]).map(phoneNumber => JSON.stringify({ phoneNumber, code: codes[phoneNumber] })) })
        }
      }
    },
    stop: () => new Promise<void>(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.send('stop')
    })
  }
}
